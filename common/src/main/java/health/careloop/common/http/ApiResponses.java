package health.careloop.common.http;

import health.careloop.common.db.DatabaseErrors;
import health.careloop.common.auth.Principal;
import health.careloop.common.db.PracticeScope;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.Callable;

/** JSON responses and the one place where failures become HTTP errors. */
public final class ApiResponses {
    private static final Logger log = LoggerFactory.getLogger(ApiResponses.class);
    /** The JSON answer of a request, kept for the audit trail (which patients it named). */
    public static final String RESPONSE_BODY = "careloop.response.body";

    private ApiResponses() {
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        ctx.put(RESPONSE_BODY, body);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body instanceof JsonObject j ? j.encode() : io.vertx.core.json.Json.encode(body));
    }

    /** Runs blocking work (JDBC) off the event loop and answers with its result, or with the error it raised. */
    public static <T> void respondBlocking(RoutingContext ctx, int status, Callable<T> work) {
        Future<T> result = blocking(ctx, work);
        result.onSuccess(body -> json(ctx, status, body)).onFailure(ctx::fail);
    }

    /**
     * Blocking work for a request, on a worker thread, confined to the caller's practice: a staff member's database
     * work runs under row-level security for their practice (PracticeScope), so a query that forgets to filter by
     * practice still sees nothing else. The API token's work is not confined.
     */
    public static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        Principal principal = ctx.get(Principal.CONTEXT_KEY);
        UUID practice = principal == null || principal.isSystem() ? null : principal.practiceId();
        return ctx.vertx().executeBlocking(() -> PracticeScope.call(practice, work), false);
    }

    /** Failure handler for every API router: a refused request says why; anything else is a 500 without details. */
    public static void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException api) {
            error(ctx, api.status(), api.code(), api.getMessage());
        } else if (failure instanceof DecodeException || failure instanceof IllegalArgumentException && failure.getMessage() != null
                && failure.getMessage().contains("JSON")) {
            error(ctx, 400, "invalid_json", "The request body is not valid JSON.");
        } else if (failure == null) {
            int status = ctx.statusCode();
            error(ctx, status, status == 413 ? "payload_too_large" : "http_" + status, status == 413
                    ? "The request body is too large." : "The request could not be served (HTTP " + status + ").");
        } else {
            // Never to the client; to the log without a database error's message or detail, which quote row values.
            log.error("Unexpected API failure on {} {}", ctx.request().method(), ctx.currentRoute() == null ? "?" : ctx.currentRoute().getPath(),
                    DatabaseErrors.loggable(failure));
            error(ctx, 500, "internal_error", "Something went wrong on our side; the request was not completed.");
        }
    }

    public static void error(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        json(ctx, status, new JsonObject().put("error", code).put("message", message));
    }
}
