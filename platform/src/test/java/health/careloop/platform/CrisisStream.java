package health.careloop.platform;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream of readings for the crash tests, each identified by its number: reading i comes from cuff i % devices,
 * measured at base + i seconds, and every {@value #CRISIS_EVERY}th is a hypertensive crisis (an alert), the rest
 * normal. What the broker acknowledged is recorded, so a test can compare it with what was stored and alerted.
 */
final class CrisisStream {
    static final int CRISIS_EVERY = 37;

    private final List<String> cuffs = new ArrayList<>();
    private final Map<String, String> patientOf = new HashMap<>();
    private final Instant base = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean publishing = new AtomicBoolean(true);
    private Thread publisher;

    /** Registers {@code devices} patients with a cuff each through the API; their MRNs go to {@code mrns}. */
    static CrisisStream register(ApiClient api, String practice, String prefix, int devices, Set<String> mrns) throws Exception {
        CrisisStream stream = new CrisisStream();
        for (int d = 0; d < devices; d++) {
            String mrn = "MRN-" + prefix + "-" + d;
            mrns.add(mrn);
            String patient = api.id(api.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", mrn)));
            String cuff = "cuff-" + prefix + "-" + d;
            assertThat(api.post("/api/v1/devices", new JsonObject().put("deviceId", cuff).put("practiceId", practice)
                    .put("kind", "blood_pressure_cuff")).status()).isEqualTo(201);
            assertThat(api.post("/api/v1/devices/" + cuff + "/assignments", new JsonObject().put("patientId", patient)
                    .put("validFrom", Instant.now().minus(Duration.ofDays(2)).toString())).status()).isEqualTo(201);
            stream.cuffs.add(cuff);
            stream.patientOf.put(cuff, patient);
        }
        return stream;
    }

    /** Publishes readings 0 … count-1 at QoS 1 from its own thread, pausing 5 ms every {@code pauseEvery} (0: never). */
    void start(String brokerUrl, int count, int pauseEvery) {
        publisher = new Thread(() -> {
            try (TestDevice hub = new TestDevice(brokerUrl)) {
                for (int i = 0; publishing.get() && i < count; i++) {
                    boolean crisis = i % CRISIS_EVERY == 0;
                    String reading = "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + base.plusSeconds(i) + "\",\"systolic\":"
                            + (crisis ? 192 : 110 + i % 20) + ",\"diastolic\":" + (crisis ? 124 : 75) + "}";
                    try {
                        hub.publish(cuffs.get(i % cuffs.size()), reading);
                        acknowledged.add(i);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    if (pauseEvery > 0 && i % pauseEvery == pauseEvery - 1) {
                        Thread.sleep(5);
                    }
                }
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        }, "crisis-stream");
        publisher.start();
    }

    /** Stops publishing (if it has not finished) and waits for the publisher; fails if the broker refused anything. */
    void stop(Duration within) throws InterruptedException {
        publishing.set(false);
        publisher.join(within.toMillis());
        assertThat(failures.get()).as("publishes the broker refused").isZero();
    }

    /** Waits for the whole stream to be published (no early stop). */
    void awaitPublished(Duration within) throws InterruptedException {
        publisher.join(within.toMillis());
        stop(Duration.ZERO);
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Every acknowledged reading is stored exactly once, and nothing else is. */
    void assertStoredOnce(DatabaseConfig db, String why) throws Exception {
        assertThat(numbers(db, "SELECT measured_at FROM ingest.reading")).as(why).isEqualTo(new TreeSet<>(acknowledged));
    }

    /**
     * Every acknowledged crisis reading raised or joined an alert exactly once, and each patient with one has exactly one
     * bp_crisis alert, however many crisis readings. Returns the number of patients with an alert.
     */
    int assertEachCrisisAlertedOnce(DatabaseConfig db) throws Exception {
        Set<Integer> crises = new TreeSet<>();
        Set<String> patients = new TreeSet<>();
        for (int i : acknowledged) {
            if (i % CRISIS_EVERY == 0) {
                crises.add(i);
                patients.add(patientOf.get(cuffs.get(i % cuffs.size())));
            }
        }
        assertThat(numbers(db, "SELECT measured_at FROM clinical.alert_reading WHERE rule_id = 'bp_crisis' AND triggered"))
                .as("crisis readings that raised or joined an alert").isEqualTo(crises);
        Map<String, Integer> alertsPerPatient = new HashMap<>();
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT patient_id::text, count(*) FROM clinical.alert WHERE rule_id = 'bp_crisis' GROUP BY 1")) {
            while (rs.next()) {
                alertsPerPatient.put(rs.getString(1), rs.getInt(2));
            }
        }
        assertThat(alertsPerPatient.keySet()).isEqualTo(patients);
        assertThat(alertsPerPatient.values()).as("one alert per patient, however many crisis readings").containsOnly(1);
        return patients.size();
    }

    long crisisCount() {
        return acknowledged.stream().filter(i -> i % CRISIS_EVERY == 0).count();
    }

    /** The stream numbers of the rows a query returns (their measured_at), failing on a number seen twice. */
    private Set<Integer> numbers(DatabaseConfig db, String sql) throws Exception {
        Set<Integer> numbers = new TreeSet<>();
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                int i = (int) Duration.between(base, rs.getTimestamp(1).toInstant()).toSeconds();
                assertThat(numbers.add(i)).as("reading %d twice: %s", i, sql).isTrue();
            }
        }
        return numbers;
    }

    static Connection connect(DatabaseConfig db) throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }
}
