package health.careloop.fhir.panel;

import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/practices/{practiceId}/imports?dryRun=true|false}: a practice's panel from a FHIR R4 Bundle
 * ({@code Content-Type: application/fhir+json} or {@code application/json}) or a CSV file ({@code text/csv}). A dry run
 * (the default) writes nothing and says per record what would be created, updated or refused; {@code dryRun=false}
 * imports. IMPORT_PANEL (practice administrators, the API token); another practice is 404.
 */
public final class PanelImportApi {
    /** A panel of 10,000 patients with their records is some tens of megabytes of FHIR JSON. */
    public static final long MAX_BODY_BYTES = 64L * 1024 * 1024;
    public static final String PATH = "/practices/:practiceId/imports";

    private final PanelImport importer;

    public PanelImportApi(PanelImport importer) {
        this.importer = importer;
    }

    public void mount(Router api) {
        api.post(PATH).handler(this::run);
    }

    private void run(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.IMPORT_PANEL);
        UUID practiceId = RequestBody.parseUuid("practiceId", ctx.pathParam("practiceId"));
        principal.requirePractice(practiceId, "practice " + practiceId);
        boolean dryRun = QueryParams.bool(ctx, "dryRun").orElse(true);
        String contentType = ctx.request().getHeader("Content-Type") == null ? "" : ctx.request().getHeader("Content-Type").toLowerCase();
        String text = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
        if (text.isBlank()) {
            throw ApiException.badRequest("Send the panel as the request body: a FHIR R4 Bundle (application/fhir+json) or CSV (text/csv).");
        }
        refuseControlCharacters(text);
        boolean csv = contentType.startsWith("text/csv");
        if (!csv && !contentType.startsWith("application/fhir+json") && !contentType.startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "Content-Type must be application/fhir+json (a FHIR R4 Bundle) or text/csv.");
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            List<PanelItem> items = csv ? CsvPanelReader.read(text) : FhirPanelReader.read(text);
            return importer.run(practiceId, principal, items, dryRun).toJson();
        });
    }

    /** NUL and other control characters never reach the database (tab, CR and LF are text). */
    private static void refuseControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' || c == 0x7f) {
                throw new ApiException(400, "invalid_text", "The file holds a control character (code " + (int) c + ") at character " + i + ".");
            }
        }
    }
}
