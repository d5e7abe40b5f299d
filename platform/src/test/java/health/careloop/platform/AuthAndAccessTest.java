package health.careloop.platform;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.DriverManager;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Staff sign-in, sessions that end, roles (403), practices that cannot see each other (404), and the audit trail. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthAndAccessTest {
    static Platform platform;
    static ApiClient system;
    static String practiceA;
    static String practiceB;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        system = new ApiClient(platform.httpPort(), platform.apiToken());
        practiceA = system.id(system.post("/api/v1/practices", "{\"name\":\"A\",\"timeZone\":\"America/Chicago\"}"));
        practiceB = system.id(system.post("/api/v1/practices", "{\"name\":\"B\",\"timeZone\":\"America/Denver\"}"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String staff(String practice, String role, String npi) throws Exception {
        String email = role + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.org";
        var created = system.post("/api/v1/staff", new JsonObject().put("practiceId", practice).put("email", email)
                .put("displayName", "Test " + role).put("role", role).put("npi", npi).put("password", "correct horse battery").encode());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return email;
    }

    private static ApiClient signIn(String email) throws Exception {
        var login = new ApiClient(platform.httpPort(), null).post("/api/v1/auth/login",
                new JsonObject().put("email", email).put("password", "correct horse battery").encode());
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return new ApiClient(platform.httpPort(), login.json().getString("token"));
    }

    @Test
    void staffSignInSeeTheirOwnPracticeOnlyAndTheirRoleDecidesWhatTheyMayDo() throws Exception {
        ApiClient nurse = signIn(staff(practiceA, "rn", null));
        ApiClient biller = signIn(staff(practiceA, "billing", null));
        ApiClient otherNurse = signIn(staff(practiceB, "rn", null));
        assertThat(nurse.get("/api/v1/auth/me").json().getString("practiceId")).isEqualTo(practiceA);

        String patient = nurse.id(nurse.post("/api/v1/patients", "{\"practiceId\":\"" + practiceA + "\",\"externalRef\":\"MRN-7\"}"));
        assertThat(nurse.get("/api/v1/patients/" + patient + "/readings").status()).isEqualTo(200);
        assertThat(biller.get("/api/v1/patients/" + patient + "/readings").status()).isEqualTo(200);
        // Another practice's patient does not exist, as far as this nurse can tell.
        var foreign = otherNurse.get("/api/v1/patients/" + patient + "/readings");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(otherNurse.post("/api/v1/patients", "{\"practiceId\":\"" + practiceA + "\",\"externalRef\":\"MRN-8\"}").status()).isEqualTo(404);
        assertThat(otherNurse.get("/api/v1/practices").json().getJsonArray("items")).hasSize(1);

        var billerAddsDevice = biller.post("/api/v1/devices", "{\"deviceId\":\"cuff-x\",\"practiceId\":\"" + practiceA + "\",\"kind\":\"scale\"}");
        assertThat(billerAddsDevice.status()).isEqualTo(403);
        assertThat(billerAddsDevice.json().getString("message")).contains("billing");
        assertThat(nurse.get("/api/v1/staff").status()).isEqualTo(403);
        assertThat(nurse.post("/api/v1/practices", "{\"name\":\"C\",\"timeZone\":\"UTC\"}").status()).isEqualTo(403);

        ApiClient admin = signIn(staff(practiceA, "admin", null));
        assertThat(admin.get("/api/v1/staff").json().getJsonArray("items")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(admin.get("/api/v1/staff?practiceId=" + practiceB).status()).isEqualTo(404);
    }

    @Test
    void wrongPasswordsWeakPasswordsAndBadNpisAreRefusedClearly() throws Exception {
        String email = staff(practiceA, "physician", "1234567893");
        var wrong = new ApiClient(platform.httpPort(), null).post("/api/v1/auth/login",
                new JsonObject().put("email", email).put("password", "not the password").encode());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().getString("message")).isEqualTo("The e-mail address or the password is wrong.");
        var unknown = new ApiClient(platform.httpPort(), null).post("/api/v1/auth/login",
                new JsonObject().put("email", "nobody@example.org").put("password", "whatever it is").encode());
        assertThat(unknown.json().getString("message")).isEqualTo(wrong.json().getString("message"));

        var weak = system.post("/api/v1/staff", new JsonObject().put("practiceId", practiceA).put("email", "weak@example.org")
                .put("displayName", "Weak").put("role", "rn").put("password", "short").encode());
        assertThat(weak.status()).isEqualTo(400);
        var badNpi = system.post("/api/v1/staff", new JsonObject().put("practiceId", practiceA).put("email", "npi@example.org")
                .put("displayName", "Dr Npi").put("role", "physician").put("npi", "1234567890").put("password", "correct horse battery").encode());
        assertThat(badNpi.json().getString("message")).contains("check digit");
        assertThat(system.post("/api/v1/staff", new JsonObject().put("practiceId", practiceA).put("email", email)
                .put("displayName", "Again").put("role", "rn").put("password", "correct horse battery").encode()).status()).isEqualTo(409);
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountForAWhileEvenWithTheRightPassword() throws Exception {
        String email = staff(practiceA, "care_coordinator", null);
        ApiClient anonymous = new ApiClient(platform.httpPort(), null);
        String wrong = new JsonObject().put("email", email).put("password", "guess guess guess").encode();
        for (int i = 0; i < 5; i++) {
            assertThat(anonymous.post("/api/v1/auth/login", wrong).status()).isEqualTo(401);
        }
        var locked = anonymous.post("/api/v1/auth/login",
                new JsonObject().put("email", email).put("password", "correct horse battery").encode());
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.json().getString("error")).isEqualTo("too_many_attempts");
        assertThat(locked.json().getString("message")).contains("Try again in 15 minute(s)");
        assertThat(locked.header("Retry-After")).isNotNull();
        // Other accounts from other addresses are not affected (the address limit is wider than the account one).
        signIn(staff(practiceA, "rn", null));
    }

    @Test
    void sessionsEndOnSignOutAndAfterBeingIdle() throws Exception {
        ApiClient nurse = signIn(staff(practiceA, "ma", null));
        assertThat(nurse.get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(nurse.post("/api/v1/auth/logout", "").status()).isEqualTo(200);
        assertThat(nurse.get("/api/v1/auth/me").status()).isEqualTo(401);

        ApiClient idle = signIn(staff(practiceA, "lpn", null));
        try (var c = DriverManager.getConnection(platform.jdbcUrlForTests()); var s = c.createStatement()) {
            s.executeUpdate("UPDATE core.staff_session SET last_seen_at = now() - interval '31 minutes' WHERE revoked_at IS NULL");
            assertThat(idle.get("/api/v1/auth/me").status()).isEqualTo(401);
            try (var rs = s.executeQuery("SELECT count(*) FROM core.staff_session WHERE token_hash IS NOT NULL AND length(token_hash) = 32")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
            try (var rs = s.executeQuery("SELECT count(*) FROM core.audit_event WHERE actor LIKE 'staff:%' AND resource = '/api/v1/auth/me'")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
        }
    }
}
