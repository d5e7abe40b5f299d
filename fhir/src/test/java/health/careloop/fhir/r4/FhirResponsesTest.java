package health.careloop.fhir.r4;

import health.careloop.common.http.ApiException;
import health.careloop.fhir.testing.FhirValidation;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FHIR router's failure handler: whatever refused the request (a role check, a missing record, the authentication
 * handler failing the context), the answer is an OperationOutcome as application/fhir+json with the issue code FHIR
 * gives that status, the reason as diagnostics, and no detail of an unexpected failure.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FhirResponsesTest {
    static Vertx vertx;
    static HttpServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router r4 = Router.router(vertx);
        r4.get("/unauthenticated").handler(ctx -> ctx.fail(new ApiException(401, "unauthenticated", "Send 'Authorization: Bearer <token>'.")));
        r4.get("/forbidden").handler(ctx -> {
            throw new ApiException(403, "forbidden", "Your role may not read this.");
        });
        r4.get("/missing").handler(ctx -> ctx.fail(new ApiException(404, "not_found", "No Patient 42.")));
        r4.get("/invalid").handler(ctx -> {
            throw ApiException.badRequest("'_count' must be 1-1000.");
        });
        r4.get("/broken").handler(ctx -> {
            throw new IllegalStateException("password=hunter2");
        });
        r4.route().failureHandler(FhirResponses::failure);
        server = vertx.createHttpServer().requestHandler(r4).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void everyRefusalIsAValidOperationOutcome() throws Exception {
        String[][] cases = {{"/unauthenticated", "401", "login", "Authorization"}, {"/forbidden", "403", "forbidden", "Your role"},
            {"/missing", "404", "not-found", "No Patient 42."}, {"/invalid", "400", "invalid", "_count"},
            {"/broken", "500", "exception", "went wrong on our side"}};
        for (String[] c : cases) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + c[0])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(c[0]).startsWith("application/fhir+json");
            JsonObject outcome = new JsonObject(response.body());
            assertThat(outcome.getString("resourceType")).isEqualTo("OperationOutcome");
            JsonObject issue = outcome.getJsonArray("issue").getJsonObject(0);
            assertThat(issue.getString("code")).as(c[0]).isEqualTo(c[2]);
            assertThat(issue.getString("diagnostics")).as(c[0]).contains(c[3]);
            assertThat(response.body()).doesNotContain("hunter2");
            assertThat(FhirValidation.errors(response.body())).as(c[0]).isEmpty();
        }
    }
}
