package health.careloop.platform;

import health.careloop.platform.config.CareLoopConfig;
import health.careloop.simulator.faults.FaultPlan;
import health.careloop.simulator.modes.BackfillRun;
import health.careloop.simulator.modes.MessageSender;
import health.careloop.simulator.modes.SendCounts;
import health.careloop.simulator.mqtt.BrokerSettings;
import health.careloop.simulator.mqtt.DeviceConnections;
import health.careloop.simulator.physiology.PatientFactory;
import health.careloop.simulator.physiology.SimulatedPatient;
import health.careloop.simulator.registration.CareLoopApi;
import health.careloop.simulator.registration.DemoRegistration;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo as scripts/run.sh plays it, against a whole CareLoop: a practice with a physician, the simulator's
 * registration (demographics, diagnoses, consent, enrolment) and a backfilled 30-day period; then the biller sees
 * data days in readiness, closes the month into claim lines with reasons, and the 837P can be written for them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoPracticeBillingTest {
    private static final ZoneId ZONE = ZoneId.of("America/Chicago");
    private static final long SEED = 42;
    private static final int PATIENTS = 4;
    private static final String PASSWORD = "demo-billing-test-password";

    @Test
    void aRegisteredAndBackfilledDemoPanelClosesIntoClaimLinesWithReasons(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = EmbeddedPlatforms.settings(dataDir, EmbeddedPlatforms.freePort());
        String simulatorPassword = "demo-" + UUID.randomUUID();
        env.put("CARELOOP_EMBEDDED_MQTT_SIMULATOR_PASSWORD", simulatorPassword);
        // Everything CareLoop logs during the run, to look for the simulated patients' data at the end.
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try (Platform platform = Platform.start(CareLoopConfig.from(env))) {
            ApiClient system = new ApiClient(platform.httpPort(), platform.apiToken());
            // As scripts/demo-staff.sh: the practice, its physician with an NPI, a biller, the billing profile.
            String practice = system.id(system.post("/api/v1/practices",
                    new JsonObject().put("name", "Demo Billing Practice").put("timeZone", ZONE.getId())));
            String physician = system.id(system.post("/api/v1/staff", staff(practice, "doctor", "physician")
                    .put("displayName", "Okafor, Adaeze").put("npi", "1234567893")));
            system.id(system.post("/api/v1/staff", staff(practice, "billing", "billing")));
            assertThat(system.put("/api/v1/billing/profile?practiceId=" + practice,
                    BillingExportApiTest.validProfile()).status()).isEqualTo(200);

            // A 30-day period that began 5 days before last month and so ended in it: last month can be closed.
            YearMonth lastMonth = YearMonth.now(ZONE).minusMonths(1);
            LocalDate start = lastMonth.atDay(1).minusDays(5);
            Instant from = start.atStartOfDay(ZONE).toInstant();
            Instant to = start.plusDays(30).atStartOfDay(ZONE).toInstant();
            List<SimulatedPatient> patients = new PatientFactory(SEED, ZONE, start, 30, "demo").create(PATIENTS);
            CareLoopApi api = new CareLoopApi(URI.create("http://127.0.0.1:" + platform.httpPort()), platform.apiToken());
            DemoRegistration.Summary registered = new DemoRegistration(api).register(practice, null, ZONE.getId(), patients, from);
            assertThat(registered.billingPractitioner()).isEqualTo(physician);
            assertThat(registered.warnings()).isEmpty();
            assertThat(registered.enrolledRpm()).isEqualTo(PATIENTS);
            int ccmCandidates = (int) patients.stream().filter(p -> p.conditions().size() >= 2).count();
            assertThat(registered.enrolledCcm()).isEqualTo(ccmCandidates);

            // The record is what the billing tier asks for: consented, enrolled with an NPI, eligible.
            String firstPatient = system.get("/api/v1/patients?practiceId=" + practice + "&externalRef=DEMO-000001")
                    .json().getJsonArray("items").getJsonObject(0).getString("id");
            JsonObject record = system.get("/api/v1/patients/" + firstPatient + "?asOf=" + start.plusDays(1)).json();
            assertThat(record.getJsonObject("profile").getString("mbi")).hasSize(11);
            assertThat(record.getJsonArray("conditions")).isNotEmpty();
            JsonObject rpm = record.getJsonObject("programs").getJsonObject("rpm");
            assertThat(rpm.encode()).as("RPM status").contains("true");
            assertThat(record.getJsonObject("eligibility").getJsonObject("rpm").encode()).contains("true");

            BackfillRun run = new BackfillRun(patients, from, to, FaultPlan.NONE, SEED);
            // The embedded HiveMQ's shared-subscription queue drops beyond 1000 messages (see SimulatorEndToEndTest).
            assertThat(run.messages()).hasSizeLessThan(900);
            SendCounts counts = new SendCounts();
            SendCounts.SendReport report;
            String broker = "tcp://127.0.0.1:" + env.get("CARELOOP_EMBEDDED_MQTT_PORT");
            try (DeviceConnections connections = DeviceConnections.open(
                    new BrokerSettings(broker, "careloop-simulator", simulatorPassword, 2, false, null, 1, 1000), "demo-sim")) {
                report = run.publish(new MessageSender(connections, counts, Clock.systemUTC()), counts, System.out, Duration.ofSeconds(30));
            }
            assertThat(report.failedMessages()).isZero();

            ApiClient biller = signIn(platform, "billing");
            String month = lastMonth.toString();
            // Every acknowledged message taken from the broker and committed before the biller looks.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                Map<String, Double> metrics = EmbeddedPlatforms.metrics(platform);
                assertThat(metrics.getOrDefault("careloop_ingest_messages_received_total", 0.0)).isEqualTo((double) report.messages());
                assertThat(metrics.get("careloop_ingest_in_flight")).isZero();
            });
            JsonObject readiness = biller.get("/api/v1/billing/readiness?month=" + month).json();
            System.out.println("demo readiness: " + readiness.encode());
            assertThat(readiness.getJsonArray("patients")).hasSize(PATIENTS).allSatisfy(row -> {
                JsonObject r = (JsonObject) row;
                assertThat(r.getInteger("dataDaysInMonth")).as("data days in the month").isPositive();
                assertThat(r.getJsonArray("missing")).as("what is missing, per code").isNotEmpty();
            });

            JsonObject closed = biller.post("/api/v1/billing/months/" + month + "/close", "").json();
            System.out.println("demo month close: " + closed.getInteger("lineCount") + " lines, " + closed.getString("totalCharge"));
            JsonArray lines = closed.getJsonArray("lines");
            assertThat(lines).as("claim lines of the demo month").isNotEmpty();
            assertThat(lines.stream().map(l -> ((JsonObject) l).getString("code"))).contains("99454", "99453");
            assertThat(lines).allSatisfy(l -> {
                JsonObject line = (JsonObject) l;
                assertThat(line.getString("billingPractitionerId")).isEqualTo(physician);
                assertThat(line.getJsonArray("diagnoses")).isNotEmpty();
                assertThat(line.getString("justification")).isNotBlank();
            });
            // No time was logged (the API token cannot; people do), so the time codes are reasons, not lines.
            assertThat(closed.getJsonArray("notBilled").stream().map(n -> (JsonObject) n))
                    .anySatisfy(n -> assertThat(n.getString("code")).isEqualTo("99457"))
                    .allSatisfy(n -> assertThat(n.getString("reason")).isNotBlank());

            // Demographics are complete enough for the 837P: no patient is left out.
            var x12 = biller.getResponse("/api/v1/billing/months/" + month + "/claims.837");
            assertThat(x12.statusCode()).as(x12.body()).isEqualTo(200);
            assertThat(Integer.parseInt(x12.headers().firstValue("X-CareLoop-Claim-Count").orElseThrow())).isPositive();

            // Another panel of the same seed under another prefix in this practice: its first MBI is taken. The API
            // refuses that profile (409 duplicate_mbi); the registration says so without the MBI and carries on.
            SimulatedPatient twin = new PatientFactory(SEED, ZONE, LocalDate.now(ZONE), 30, "twin").create(1).get(0);
            DemoRegistration.Summary twins = new DemoRegistration(api).register(practice, null, ZONE.getId(), List.of(twin), Instant.now());
            assertThat(twins.profilesRefused()).isEqualTo(1);
            String mbi = record.getJsonObject("profile").getString("mbi");
            assertThat(twins.warnings()).singleElement().asString().contains("409 duplicate_mbi").doesNotContain(mbi);
            assertThat(twins.enrolledRpm()).isEqualTo(1);

            // No patient data in the logs of the whole run: names, birth dates, MBIs, phones, addresses, MRNs.
            List<String> phi = new java.util.ArrayList<>();
            for (Object item : system.get("/api/v1/patients?practiceId=" + practice).json().getJsonArray("items")) {
                String id = ((JsonObject) item).getString("id");
                JsonObject patient = system.get("/api/v1/patients/" + id).json();
                phi.add(patient.getString("externalRef"));
                JsonObject profile = patient.getJsonObject("profile");
                if (profile != null) {
                    phi.addAll(List.of(profile.getString("givenName"), profile.getString("familyName"), profile.getString("birthDate"),
                            profile.getString("mbi"), profile.getJsonObject("address").getString("line1")));
                    if (profile.getString("phone") != null) {
                        phi.add(profile.getString("phone"));
                    }
                }
            }
            assertThat(phi).hasSizeGreaterThan(PATIENTS * 5);
            assertThat(logged.list).as("log events of the run").hasSizeGreaterThan(10);
            for (ch.qos.logback.classic.spi.ILoggingEvent event : List.copyOf(logged.list)) {
                String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage());
                for (String secret : phi) {
                    assertThat(text).as("a log line contains patient data").doesNotContain(secret);
                }
            }
        } finally {
            root.detachAppender(logged);
        }
    }

    private static JsonObject staff(String practice, String who, String role) {
        return new JsonObject().put("practiceId", practice).put("email", who + "@demo-billing.test")
                .put("displayName", "Demo " + who).put("role", role).put("password", PASSWORD);
    }

    private static ApiClient signIn(Platform platform, String who) throws Exception {
        var login = new ApiClient(platform.httpPort(), null).post("/api/v1/auth/login",
                new JsonObject().put("email", who + "@demo-billing.test").put("password", PASSWORD));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return new ApiClient(platform.httpPort(), login.json().getString("token"));
    }
}
