package health.careloop.platform;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Practices and their staff in a CareLoop under test, made as its operator and its people make them: practices and
 * staff accounts with the system token ({@code POST /api/v1/practices}, {@code POST /api/v1/staff}), sessions by
 * signing in through the API ({@code POST /api/v1/auth/login}). Every account has {@link #PASSWORD}. A test class
 * keeps one: {@code TestPractices practices = TestPractices.of(platform)} ({@link BrowserCareLoop} has its own).
 */
final class TestPractices {
    /** Every staff member made here signs in with it. */
    static final String PASSWORD = "correct horse battery";

    private final ApiClient system;
    private final int httpPort;

    private TestPractices(ApiClient system, int httpPort) {
        this.system = system;
        this.httpPort = httpPort;
    }

    static TestPractices of(Platform platform) {
        return new TestPractices(new ApiClient(platform.httpPort(), platform.apiToken()), platform.httpPort());
    }

    /** The API as the system token. */
    ApiClient system() {
        return system;
    }

    /** A new practice; returns its id. */
    String practice(String name, String timeZone) throws Exception {
        return system.id(system.post("/api/v1/practices", new JsonObject().put("name", name).put("timeZone", timeZone)));
    }

    /** A new staff member with a fresh e-mail address: the API's answer ({@code id}, ...) with the {@code email} added. */
    JsonObject staff(String practice, String role, String displayName, String npi) throws Exception {
        return staffWithEmail(practice, role + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org", role, displayName, npi);
    }

    /** A new staff member with the e-mail address given. */
    JsonObject staffWithEmail(String practice, String email, String role, String displayName, String npi) throws Exception {
        var created = system.post("/api/v1/staff", new JsonObject().put("practiceId", practice).put("email", email).put("displayName", displayName)
                .put("role", role).put("npi", npi).put("password", PASSWORD));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().put("email", email);
    }

    /** The API as this staff member, signed in with {@link #PASSWORD}. */
    ApiClient signIn(String email) throws Exception {
        return signIn(email, PASSWORD);
    }

    ApiClient signIn(String email, String password) throws Exception {
        var login = new ApiClient(httpPort, null).post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", password));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return new ApiClient(httpPort, login.json().getString("token"));
    }

    /** A new staff member, signed in through the API. */
    ApiClient signedIn(String practice, String role, String displayName, String npi) throws Exception {
        return signIn(staff(practice, role, displayName, npi).getString("email"));
    }
}
