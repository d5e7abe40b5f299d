package health.careloop.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's first-run setup through the API, on a fresh embedded CareLoop: needed until done; refused without this
 * install's token (a stranger on the network), with bad input naming the field; two setups at the same moment make one
 * practice and one administrator; afterwards refused for good in words; audited under the account it made; a second
 * practice is added with the API token, as README says.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstRunSetupTest {
    static final String PASSWORD = "correct horse battery";
    static Platform platform;
    static ApiClient anonymous;
    static ApiClient system;
    static String adminEmail;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        anonymous = new ApiClient(platform.httpPort(), null);
        system = new ApiClient(platform.httpPort(), platform.apiToken());
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    static JsonObject setup(String token, String practice, String email) {
        return new JsonObject().put("setupToken", token).put("practiceName", practice).put("timeZone", "America/Chicago")
                .put("adminName", "Ada Admin").put("adminEmail", email).put("adminPassword", PASSWORD);
    }

    @Test
    @Order(1)
    void aFreshInstallNeedsSetupAndRefusesAStrangerOrBadInputInWords() throws Exception {
        assertThat(anonymous.get("/api/v1/setup").json().getBoolean("needed")).isTrue();

        var stranger = anonymous.post("/api/v1/setup", setup("guessed-token", "Takeover Clinic", "mallory@example.org"));
        assertThat(stranger.status()).as(stranger.body()).isEqualTo(403);
        assertThat(stranger.json().getString("error")).isEqualTo("wrong_setup_token");
        assertThat(stranger.json().getString("message")).contains("admin-token").contains("CARELOOP_API_TOKEN");

        var badZone = anonymous.post("/api/v1/setup", setup(platform.apiToken(), "Lakeside", "ada@example.org").put("timeZone", "Mars/Olympus"));
        assertThat(badZone.status()).isEqualTo(400);
        assertThat(badZone.json().getString("message")).contains("'timeZone'");
        var badEmail = anonymous.post("/api/v1/setup", setup(platform.apiToken(), "Lakeside", "not an address"));
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.json().getString("message")).contains("'adminEmail'");
        var shortPassword = anonymous.post("/api/v1/setup", setup(platform.apiToken(), "Lakeside", "ada@example.org").put("adminPassword", "short"));
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.json().getString("message")).contains("at least 12 characters");
        var noName = anonymous.post("/api/v1/setup", setup(platform.apiToken(), "Lakeside", "ada@example.org").put("practiceName", null));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().getString("message")).contains("'practiceName'");

        // Nothing of the refused tries was kept.
        assertThat(anonymous.get("/api/v1/setup").json().getBoolean("needed")).isTrue();
        assertThat(system.get("/api/v1/practices").json().getJsonArray("items")).isEmpty();
    }

    @Test
    @Order(2)
    void twoSetupsAtTheSameMomentMakeOnePracticeAndOneAdministrator() throws Exception {
        int parallel = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<ApiClient.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < parallel; i++) {
                JsonObject body = setup(platform.apiToken(), "Lakeside Internal Medicine " + i, "admin" + i + "@example.org");
                Callable<ApiClient.Response> call = () -> {
                    go.await();
                    return new ApiClient(platform.httpPort(), null).post("/api/v1/setup", body);
                };
                answers.add(pool.submit(call));
            }
            go.countDown();
            List<ApiClient.Response> responses = new ArrayList<>();
            for (Future<ApiClient.Response> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(responses).extracting(ApiClient.Response::status).as(responses.toString()).containsOnly(201, 409).containsOnlyOnce(201);
            ApiClient.Response won = responses.stream().filter(r -> r.status() == 201).findFirst().orElseThrow();
            adminEmail = won.json().getJsonObject("admin").getString("email");
            assertThat(won.json().getJsonObject("admin").getString("role")).isEqualTo("admin");
            for (ApiClient.Response lost : responses.stream().filter(r -> r.status() == 409).toList()) {
                assertThat(lost.json().getString("error")).isEqualTo("already_set_up");
                assertThat(lost.json().getString("message")).contains("already set up").contains("runs only once");
            }
        } finally {
            pool.shutdownNow();
        }
        JsonArray practices = system.get("/api/v1/practices").json().getJsonArray("items");
        assertThat(practices).hasSize(1);
        String practice = practices.getJsonObject(0).getString("id");
        JsonArray staff = system.get("/api/v1/staff?practiceId=" + practice).json().getJsonArray("items");
        assertThat(staff).hasSize(1);
        assertThat(staff.getJsonObject(0).getString("email")).isEqualTo(adminEmail);
        assertThat(anonymous.get("/api/v1/setup").json().getBoolean("needed")).isFalse();
    }

    @Test
    @Order(3)
    void afterwardsSetupIsRefusedForGoodAndTheAuditTrailNamesWhoSetItUp() throws Exception {
        var again = anonymous.post("/api/v1/setup", setup(platform.apiToken(), "Second Clinic", adminEmail));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("message")).contains("already set up");
        var stranger = anonymous.post("/api/v1/setup", setup("guessed-token", "Takeover Clinic", adminEmail));
        assertThat(stranger.status()).as("a stranger learns nothing more than that it is set up").isEqualTo(409);

        ApiClient admin = signIn(adminEmail);
        JsonObject me = admin.get("/api/v1/auth/me").json();
        assertThat(me.getString("role")).isEqualTo("admin");
        String adminId = me.getString("staffId");
        // The setup, under the account it made, from this address; the refused try naming that account is in the trail too.
        JsonObject done = awaitEvent(admin, e -> "/api/v1/setup".equals(e.getString("resource")) && e.getInteger("outcome") == 201);
        assertThat(done.getString("actor")).isEqualTo("staff:" + adminId);
        assertThat(done.getString("action")).isEqualTo("POST");
        assertThat(done.getString("clientAddress")).isEqualTo("127.0.0.1");
        awaitEvent(admin, e -> "/api/v1/setup".equals(e.getString("resource")) && e.getInteger("outcome") == 409
                && "anonymous".equals(e.getString("actor")));

        // A second practice: the API token, as README says; setup stays refused.
        String second = system.id(system.post("/api/v1/practices", "{\"name\":\"Hillside Clinic\",\"timeZone\":\"America/Denver\"}"));
        var secondAdmin = system.post("/api/v1/staff", new JsonObject().put("practiceId", second).put("email", "hillside-admin@example.org")
                .put("displayName", "Hill Admin").put("role", "admin").put("password", PASSWORD));
        assertThat(secondAdmin.status()).as(secondAdmin.body()).isEqualTo(201);
        assertThat(signIn("hillside-admin@example.org").get("/api/v1/staff").json().getJsonArray("items")).hasSize(1);
        assertThat(anonymous.post("/api/v1/setup", setup(platform.apiToken(), "Third Clinic", "third@example.org")).status()).isEqualTo(409);
    }

    private static ApiClient signIn(String email) throws Exception {
        var login = anonymous.post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", PASSWORD));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return new ApiClient(platform.httpPort(), login.json().getString("token"));
    }

    /** Audit events are written off the request's path: wait for the one wanted. */
    private static JsonObject awaitEvent(ApiClient admin, java.util.function.Predicate<JsonObject> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonArray items = new JsonArray();
        while (System.nanoTime() < deadline) {
            items = admin.get("/api/v1/audit-events?limit=200").json().getJsonArray("items");
            for (Object item : items) {
                if (wanted.test((JsonObject) item)) {
                    return (JsonObject) item;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no such audit event among " + items.encodePrettily());
    }
}
