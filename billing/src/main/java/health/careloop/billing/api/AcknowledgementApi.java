package health.careloop.billing.api;

import health.careloop.billing.acks.AcknowledgementImport;
import health.careloop.billing.acks.ClaimStatus;
import health.careloop.billing.acks.ClaimStatuses;
import health.careloop.billing.acks.MalformedAcknowledgement;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/**
 * Claim acknowledgements (BILLING): import a clearinghouse's 999 or a payer's 277CA file as it came, read each claim's
 * status for a month, and enter a payer's claim number by hand. Every call is audited like any other; the answers name
 * the claims' patients, so the audit trail names them too.
 */
public final class AcknowledgementApi {
    /** The upload route; it reads its body with a limit of its own (a 277CA of a large month is larger than a JSON request). */
    public static final String PATH = "/billing/acknowledgements";
    public static final long MAX_BODY_BYTES = 5L * 1024 * 1024;

    private final AcknowledgementImport imports;
    private final ClaimStatuses statuses;
    private final Directory directory;

    public AcknowledgementApi(AcknowledgementImport imports, ClaimStatuses statuses, Directory directory) {
        this.imports = imports;
        this.statuses = statuses;
        this.directory = directory;
    }

    public void mount(Router api) {
        api.post(PATH).handler(this::importFile);
        api.get("/billing/months/:month/claim-statuses").handler(this::month);
        api.get("/billing/claims/:claimControlNumber/status").handler(this::claim);
        api.put("/billing/claims/:claimControlNumber/payer-claim-number").handler(this::enterPayerNumber);
    }

    /** Body: the 999 or 277CA file, unchanged ({@code application/edi-x12} or {@code text/plain}). */
    private void importFile(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        UUID requested = BillingRequests.practice(principal, ctx);
        String text = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
        if (text.isBlank()) {
            throw ApiException.badRequest("Send the 999 or 277CA file, as it came from the clearinghouse, as the request body.");
        }
        if (text.indexOf('\0') >= 0) {
            throw new ApiException(400, "malformed_acknowledgement", "The file holds NUL characters: it is not an X12 text file.");
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existing(requested);
            try {
                return json(imports.importFile(practiceId, text, principal.actor()));
            } catch (MalformedAcknowledgement e) {
                throw new ApiException(400, "malformed_acknowledgement", e.getMessage());
            }
        });
    }

    private void month(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        YearMonth month = BillingRequests.month(ctx.pathParam("month"), null);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existingPractice(principal, ctx);
            JsonArray claims = new JsonArray();
            for (ClaimStatus s : statuses.ofMonth(practiceId, month)) {
                claims.add(json(s));
            }
            return new JsonObject().put("practiceId", practiceId.toString()).put("month", month.toString()).put("claims", claims);
        });
    }

    private void claim(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        String number = claimControlNumber(ctx);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existingPractice(principal, ctx);
            ClaimStatus status = statuses.find(practiceId, number).orElseThrow(() -> ApiException.notFound(
                    "No claim " + number + " of this practice has a status yet (it was never downloaded on an 837P or acknowledged)."));
            JsonArray history = new JsonArray();
            for (ClaimStatuses.Event e : statuses.history(practiceId, number)) {
                history.add(new JsonObject().put("at", e.at().toString()).put("actor", e.actor()).put("fileId", e.fileId() == null ? null : e.fileId().toString())
                        .put("status", e.state().wireName()).put("reason", e.reason()).put("payerClaimNumber", e.payerClaimControlNumber()));
            }
            return json(status).put("history", history);
        });
    }

    /** Body: {@code {"payerClaimNumber": "2226301234567"}}. */
    private void enterPayerNumber(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        String number = claimControlNumber(ctx);
        String payerNumber = RequestBody.of(ctx).identifier("payerClaimNumber", ClaimStatuses.PAYER_NUMBER.pattern(),
                "the payer's claim number: 1-50 letters, digits or hyphens, as the payer printed it");
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existingPractice(principal, ctx);
            ClaimStatus status = statuses.enterPayerClaimNumber(practiceId, number, payerNumber, principal.actor())
                    .orElseThrow(() -> ApiException.notFound("No claim " + number + " in this practice's closed months."));
            return json(status);
        });
    }

    private static String claimControlNumber(RoutingContext ctx) {
        String number = ctx.pathParam("claimControlNumber");
        if (number == null || !number.matches("[0-9A-Z][0-9A-Z-]{0,37}")) {
            throw ApiException.badRequest("'claimControlNumber' must be a claim's CLM01 as on the 837P (for example 3F2A9C0B1D4E202611).");
        }
        return number;
    }

    static JsonObject json(ClaimStatus s) {
        return new JsonObject().put("claimControlNumber", s.claimControlNumber()).put("patientId", s.patientId().toString())
                .put("month", s.month().toString()).put("codes", new JsonArray(s.codes().stream().map(Object.class::cast).toList()))
                .put("status", s.state().wireName()).put("statusInWords", s.inWords()).put("reason", s.reason())
                .put("groupControlNumber", s.groupControlNumber()).put("sentAt", text(s.sentAt())).put("sentBy", s.sentBy())
                .put("statusAt", text(s.statusAt())).put("statusBy", s.statusBy())
                .put("payerClaimNumber", s.payerClaimControlNumber()).put("payerClaimNumberSource", s.payerNumberSource())
                .put("payerClaimNumberBy", s.payerNumberBy()).put("payerClaimNumberAt", text(s.payerNumberAt()));
    }

    private static JsonObject json(AcknowledgementImport.Result r) {
        JsonArray claims = new JsonArray();
        for (AcknowledgementImport.ClaimOutcome o : r.claims()) {
            claims.add(new JsonObject().put("claimControlNumber", o.claimControlNumber()).put("patientId", o.patientId() == null ? null : o.patientId().toString())
                    .put("result", o.result()).put("status", o.state()).put("inWords", o.inWords()));
        }
        String summary = r.alreadyImported()
                ? "This " + r.kind() + " was already imported on " + r.importedAt() + "; nothing changed."
                : r.kind() + " imported: " + r.count("applied") + " claim(s) updated, " + r.count("unchanged") + " unchanged, " + r.unmatched().size()
                + " not matched.";
        return new JsonObject().put("fileId", r.fileId().toString()).put("kind", r.kind()).put("interchangeControlNumber", r.interchangeControlNumber())
                .put("alreadyImported", r.alreadyImported()).put("importedAt", r.importedAt().toString()).put("importedBy", r.importedBy())
                .put("summary", summary).put("applied", r.count("applied")).put("unchanged", r.count("unchanged"))
                .put("unmatched", new JsonArray(r.unmatched().stream().map(Object.class::cast).toList())).put("claims", claims);
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private UUID existingPractice(Principal principal, RoutingContext ctx) throws Exception {
        return existing(BillingRequests.practice(principal, ctx));
    }

    private UUID existing(UUID practiceId) throws Exception {
        if (directory.practice(practiceId).isEmpty()) {
            throw ApiException.notFound("No practice " + practiceId + ".");
        }
        return practiceId;
    }
}
