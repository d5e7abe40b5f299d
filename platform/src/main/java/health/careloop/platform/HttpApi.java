package health.careloop.platform;

import health.careloop.billing.api.AcknowledgementApi;
import health.careloop.common.auth.AuthApi;
import health.careloop.common.auth.LoginThrottle;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.DirectoryApi;
import health.careloop.common.http.ApiAuthentication;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.audit.AuditApi;
import health.careloop.common.audit.AuditLog;
import health.careloop.common.audit.AuditTrail;
import health.careloop.common.audit.AuditWriter;
import health.careloop.common.http.QueryParams;
import health.careloop.common.setup.FirstRunSetup;
import health.careloop.common.setup.FirstRunSetupApi;
import health.careloop.common.db.Database;
import health.careloop.billing.BillingTier;
import health.careloop.clinical.ClinicalTier;
import health.careloop.fhir.FhirTier;
import health.careloop.fhir.panel.PanelImportApi;
import health.careloop.fhir.r4.FhirResponses;
import health.careloop.ingest.IngestTier;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The API's HTTP router: probes, the OpenAPI document, the authenticated JSON API, and the care-team web app at
 * {@code /}. Metrics have a router (and a listener) of their own.
 */
final class HttpApi {
    /** Large enough for any API request; readings arrive over MQTT, not here. */
    private static final long MAX_BODY_BYTES = 64 * 1024;

    private HttpApi() {
    }

    static Router create(Vertx vertx, Database database, String apiToken, PrometheusMeterRegistry meters, AuditWriter audit,
                         Supplier<String> consumerProblem, IngestTier ingest, ClinicalTier clinical, BillingTier billing, FhirTier fhir) {
        Router root = Router.router(vertx);
        root.route().handler(WebApp::securityHeaders);
        root.get("/health").handler(ctx -> ApiResponses.json(ctx, 200, new JsonObject().put("status", "up")));
        root.get("/ready").handler(ctx -> ctx.vertx().executeBlocking(database::isReachable, false).onComplete(db -> {
            boolean dbUp = db.succeeded() && db.result();
            String problem = consumerProblem.get();
            boolean consumer = problem.isEmpty();
            // Behind on the audit trail, the API refuses calls (503): not ready for traffic either.
            boolean audited = !audit.saturated();
            JsonObject body = new JsonObject().put("database", dbUp ? "up" : "down").put("broker", consumer ? "up" : "down")
                    .put("audit", audited ? "up" : "behind");
            if (!consumer) {
                body.put("reason", problem);
            } else if (!audited) {
                body.put("reason", audit.pending() + " audit events wait to be stored");
            }
            boolean ready = dbUp && consumer && audited;
            ApiResponses.json(ctx, ready ? 200 : 503, body.put("status", ready ? "ready" : "not ready"));
        }));
        String openApi = resource("/openapi.yaml");
        root.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(openApi));

        Router api = Router.router(vertx);
        // First: every call is audited, signed in or not, including those refused below.
        api.route().handler(new AuditTrail(audit));
        // A practice's panel is far larger than any other request: its route reads its body first, with its own limit.
        api.post(PanelImportApi.PATH).handler(BodyHandler.create(false).setBodyLimit(PanelImportApi.MAX_BODY_BYTES));
        api.post(AcknowledgementApi.PATH).handler(BodyHandler.create(false).setBodyLimit(AcknowledgementApi.MAX_BODY_BYTES));
        api.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        StaffAccounts staff = new StaffAccounts(database.dataSource());
        FunctionCounter.builder("careloop.auth.password.checks", staff, StaffAccounts::passwordChecks)
                .description("Passwords compared with bcrypt at sign-in (throttled attempts never get this far)").register(meters);
        AuthApi auth = new AuthApi(staff, LoginThrottle.standard());
        auth.mountPublic(api);
        // Before anyone has an account: the first practice and its administrator, guarded by the API token in the body.
        new FirstRunSetupApi(new FirstRunSetup(database.dataSource()), apiToken).mountPublic(api);
        api.route().handler(new ApiAuthentication(apiToken, staff));
        api.route().handler(QueryParams::refuseControlCharacters);
        auth.mount(api);
        new DirectoryApi(new Directory(database.dataSource())).mount(api);
        new AuditApi(new AuditLog(database.dataSource()), new Directory(database.dataSource())).mount(api);
        ingest.mountApi(api);
        clinical.mountApi(api, billing.closedMonths());
        billing.mountApi(api);
        fhir.mountApi(api);
        api.route().last().handler(ctx -> ApiResponses.error(ctx, 404, "not_found", "No such API endpoint: " + ctx.request().path()));
        api.route().failureHandler(ApiResponses::failure);
        root.route("/api/v1/*").subRouter(api);
        root.route("/fhir/r4/*").subRouter(fhirRouter(vertx, apiToken, audit, staff, fhir));
        WebApp.mount(root);
        return root;
    }

    /**
     * {@code /fhir/r4}: the same chain as {@code /api/v1} (audited first, then authenticated, query text checked), with
     * FHIR's answers: resources as application/fhir+json and refusals as OperationOutcomes. The CapabilityStatement is
     * public, as FHIR clients read it before they sign in.
     */
    private static Router fhirRouter(Vertx vertx, String apiToken, AuditWriter audit, StaffAccounts staff, FhirTier fhir) {
        Router r4 = Router.router(vertx);
        r4.route().handler(new AuditTrail(audit));
        r4.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        fhir.mountPublicR4(r4);
        r4.route().handler(new ApiAuthentication(apiToken, staff));
        r4.route().handler(QueryParams::refuseControlCharacters);
        fhir.mountR4(r4);
        r4.route().last().handler(ctx -> FhirResponses.error(ctx, 404, "not_found", "No such FHIR endpoint: " + ctx.request().path()));
        r4.route().failureHandler(FhirResponses::failure);
        return r4;
    }

    /**
     * The metrics listener's router: {@code /metrics} (Prometheus text format) and nothing else. It runs on a listener of
     * its own (CARELOOP_METRICS_PORT, loopback by default), not on the API's port.
     */
    static Router metrics(Vertx vertx, PrometheusMeterRegistry meters) {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> ctx.vertx().executeBlocking(meters::scrape, false).onSuccess(text ->
                ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text)).onFailure(ctx::fail));
        router.route().last().handler(ctx -> ApiResponses.error(ctx, 404, "not_found", "This listener serves /metrics only."));
        return router;
    }

    /**
     * A request the HTTP codec refused before any route saw it (request line or headers too long, malformed): answered
     * like every other refusal, as JSON {error, message}, and the connection closed as Vert.x does by default.
     */
    static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String detail = cause instanceof TooLongFrameException && cause.getMessage() != null ? cause.getMessage() : "";
        int status;
        String code;
        String message;
        if (detail.startsWith("An HTTP line is larger than")) {
            status = 414;
            code = "uri_too_long";
            message = "The request line is too long.";
        } else if (detail.startsWith("HTTP header is larger than")) {
            status = 431;
            code = "headers_too_large";
            message = "The request headers are too large.";
        } else {
            status = 400;
            code = "bad_http_request";
            message = "The request is not valid HTTP.";
        }
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                .end(new JsonObject().put("error", code).put("message", message).encode())
                .onComplete(done -> request.connection().close());
    }

    private static String resource(String path) {
        try (InputStream in = HttpApi.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
