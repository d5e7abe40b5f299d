package health.careloop.platform;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain HTTP client for the API, as a script or the simulator would use it. */
final class ApiClient {
    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        JsonObject json() {
            return new JsonObject(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    // HTTP/1.1, as browsers speak to a plain-HTTP server: the JDK client's cleartext HTTP/2 upgrade (h2c) now and then
    // read an HTTP/1.1 answer as HTTP/2 frames (WebSupportApiTest, twice in CI runs).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final String token;

    ApiClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** The bearer token this client sends (a signed-in person's session token), or null. */
    String token() {
        return token;
    }

    Response get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
    }

    Response post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), token);
    }

    /** A POST of a file in its own media type (a FHIR Bundle, CSV). */
    Response post(String path, String body, String contentType) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType), token);
    }

    Response put(String path, JsonObject body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(HttpRequest.BodyPublishers.ofString(body.encode()))
                .header("Content-Type", "application/json"), token);
    }

    /** Any method, with a JSON body when one is given. */
    Response request(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request, token);
    }

    /** The whole response, headers included. */
    HttpResponse<String> getResponse(String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A file download: the body as bytes. */
    HttpResponse<byte[]> getBytes(String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    Response getWithoutToken(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), null);
    }

    Response post(String path, JsonObject body) throws Exception {
        return post(path, body.encode());
    }

    String id(Response created) {
        if (created.status() != 201) {
            throw new AssertionError("expected 201, got " + created);
        }
        return created.json().getString("id");
    }

    private Response send(HttpRequest.Builder request, String bearer) throws Exception {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response.headers());
    }
}
