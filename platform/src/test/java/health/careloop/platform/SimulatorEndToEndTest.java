package health.careloop.platform;

import health.careloop.testing.FreePort;
import health.careloop.platform.config.CareLoopConfig;
import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.faults.FaultPlan;
import health.careloop.simulator.faults.MessageKind;
import health.careloop.simulator.faults.OutgoingMessage;
import health.careloop.simulator.modes.BackfillRun;
import health.careloop.simulator.modes.MessageSender;
import health.careloop.simulator.modes.SendCounts;
import health.careloop.simulator.mqtt.BrokerSettings;
import health.careloop.simulator.mqtt.DeviceConnections;
import health.careloop.simulator.physiology.PatientFactory;
import health.careloop.simulator.physiology.SimulatedPatient;
import health.careloop.simulator.registration.CareLoopApi;
import health.careloop.simulator.registration.DemoRegistration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The device simulator, in-process and through the same classes as its {@code backfill} command, against a whole
 * CareLoop (embedded PostgreSQL and HiveMQ): what the simulator says the broker acknowledged is what ingest stored
 * and dead-lettered, reading for reading.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimulatorEndToEndTest {
    private static final ZoneId ZONE = ZoneId.of("America/Chicago");
    private static final long SEED = 7;
    private static final int PATIENTS = 20;
    private static final int DAYS = 7;
    // Keep the run well below 1000 messages: the embedded HiveMQ's default queue (max-queue-size 1000, discard) drops
    // what a shared subscription cannot take while still acknowledging the publisher; a 150-patient backfill lost
    // two thirds of its messages that way.
    private static final String PRACTICE = "End-to-End Family Medicine";
    /**
     * Reading faults as fractions of readings, device faults as fractions of devices; high, so that every kind occurs
     * whenever the test runs (checked offline for this seed over a year of start times: about 270-320 messages, at
     * least 3 of each kind).
     */
    private static final FaultPlan FAULTS = new FaultPlan(0.05, 0.05, 0.05, 0.2, 0.3,
            // A clock a day and an hour ahead: whatever the time of day the test runs, a skewed device's readings of
            // the last 25 hours are in the future (dead letters) and its older ones are stored at the wrong time.
            Duration.ofHours(25), 2);

    @Test
    void aBackfillWithEveryFaultIsStoredAndDeadLetteredExactlyAsTheSimulatorCounted(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = EmbeddedPlatforms.settings(dataDir, FreePort.loopback());
        // As scripts/run.sh's demo: the simulator's account publishes for all its devices over shared connections.
        String simulatorPassword = "e2e-" + UUID.randomUUID();
        env.put("CARELOOP_EMBEDDED_MQTT_SIMULATOR_PASSWORD", simulatorPassword);
        CareLoopConfig config = CareLoopConfig.from(env);
        try (Platform platform = Platform.start(config)) {
            String brokerUrl = "tcp://127.0.0.1:" + env.get("CARELOOP_EMBEDDED_MQTT_PORT");
            ApiClient http = new ApiClient(platform.httpPort(), platform.apiToken());

            // As BackfillCommand: the past DAYS from local midnight up to now, the panel registered through the API.
            Instant now = Clock.systemUTC().instant();
            LocalDate epoch = now.atZone(ZONE).toLocalDate().minusDays(DAYS);
            Instant from = epoch.atStartOfDay(ZONE).toInstant();
            List<SimulatedPatient> patients = new PatientFactory(SEED, ZONE, epoch, DAYS, "e2e").create(PATIENTS);
            CareLoopApi api = new CareLoopApi(URI.create("http://127.0.0.1:" + platform.httpPort()), platform.apiToken());
            DemoRegistration.Summary registered = new DemoRegistration(api)
                    .register(null, PRACTICE, ZONE.getId(), patients, from.minus(Duration.ofDays(1)));
            // A second run without --practice-id finds the practice by name instead of creating another.
            DemoRegistration.Summary again = new DemoRegistration(api)
                    .register(null, PRACTICE, ZONE.getId(), patients, from.minus(Duration.ofDays(1)));
            assertThat(registered.practiceCreated()).isTrue();
            // This practice has no staff: patients and devices, but no consent or enrolment, and one line says why.
            assertThat(registered.warnings()).singleElement().asString().contains("no active physician or NPP with an NPI");
            assertThat(registered.enrolledRpm()).isZero();
            assertThat(again.practiceId()).isEqualTo(registered.practiceId());
            assertThat(List.of(again.practiceCreated(), again.patientsCreated(), again.devicesCreated(), again.assignmentsCreated()))
                    .containsExactly(false, 0, 0, 0);
            assertThat(http.get("/api/v1/practices").json().getJsonArray("items").stream()
                    .filter(p -> PRACTICE.equals(((io.vertx.core.json.JsonObject) p).getString("name")))).hasSize(1);

            BackfillRun run = new BackfillRun(patients, from, now, FAULTS, SEED);
            List<OutgoingMessage> planned = run.messages();
            SendCounts counts = new SendCounts();
            SendCounts.SendReport report;
            try (DeviceConnections connections = DeviceConnections.open(
                    new BrokerSettings(brokerUrl, "careloop-simulator", simulatorPassword, 2, false, null, 1, 1000), "e2e-sim")) {
                MessageSender sender = new MessageSender(connections, counts, Clock.systemUTC());
                report = run.publish(sender, counts, System.out, Duration.ofSeconds(30));
            }
            System.out.println(report.describe());

            // Every fault kind really happened, and the broker took every message the simulator sent.
            assertThat(report.failedMessages()).isZero();
            assertThat(report.duplicate()).isPositive();
            assertThat(report.malformed()).isPositive();
            assertThat(report.implausible()).isPositive();
            assertThat(report.batches()).isPositive();
            assertThat(report.futureSkewed()).isPositive();
            assertThat(report.skewedAccepted()).isPositive();

            // Wait until ingest has taken every acknowledged message from the broker and committed it (nothing in
            // flight). The embedded HiveMQ hands the shared subscriber one unacknowledged message at a time, so this
            // is one commit per message.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                Map<String, Double> metrics = EmbeddedPlatforms.metrics(platform);
                assertThat(metrics.getOrDefault("careloop_ingest_messages_received_total", 0.0))
                        .as("messages ingest took from the broker").isEqualTo((double) report.messages());
                assertThat(metrics.get("careloop_ingest_in_flight")).as("messages not yet committed").isZero();
            });

            Set<String> deviceIds = patients.stream().flatMap(p -> p.devices().stream())
                    .map(SimulatedDevice::deviceId).collect(Collectors.toSet());
            try (Connection db = DriverManager.getConnection(platform.jdbcUrlForTests())) {
                UUID practice = UUID.fromString(registered.practiceId());
                long stored = single(db, "SELECT count(*) FROM ingest.reading r JOIN core.patient p ON p.id = r.patient_id "
                        + "WHERE p.practice_id = ?", practice);
                long dataDayReadings = single(db, "SELECT coalesce(sum(reading_count), 0) FROM ingest.reading_day WHERE practice_id = ?", practice);
                Map<String, Long> deadLetters = deadLettersByReason(db, deviceIds);
                Map<String, Long> anyDeadLetters = deadLettersByReason(db, null);

                // Stored: single readings, every element of the offline devices' array batches, and skewed readings
                // that were not yet 5 minutes in the future. Re-sent duplicates are not in `valid` and added no row.
                assertThat(stored).as("rows in ingest.reading for the practice's patients").isEqualTo(report.valid());
                assertThat(dataDayReadings).as("the data-day rollup counts each stored reading once").isEqualTo(report.valid());
                assertThat(distinctDuplicatedReadingsStored(db, planned)).as("each re-sent reading is one row")
                        .isEqualTo(planned.stream().filter(m -> m.kind() == MessageKind.DUPLICATE)
                                .map(m -> m.deviceId() + m.latestMeasuredAt()).distinct().count());

                // Dead letters: one row per refused reading, or one per message when no reading could be read at all
                // (not_json). Each MALFORMED, IMPLAUSIBLE and SKEWED message carries exactly one reading (checked here),
                // so the simulator's reading counts are also message counts, and "not JSON" (one row for the message)
                // and an element-level reject (one row for its only element) both make exactly one row. The array
                // batches hold only valid readings, so they add none. Hence rows = malformed + implausible + futureSkewed.
                assertThat(planned).filteredOn(m -> m.kind() != MessageKind.BATCH && m.kind() != MessageKind.READING)
                        .allMatch(m -> m.readings() == 1);
                assertThat(anyDeadLetters).as("dead letters of other devices, or without one").isEqualTo(deadLetters);
                assertThat(deadLetters.values().stream().mapToLong(Long::longValue).sum()).as("dead-letter rows")
                        .isEqualTo(report.malformed() + report.implausible() + report.futureSkewed());
                assertThat(deadLetters.getOrDefault("implausible_value", 0L)).isEqualTo(report.implausible());
                assertThat(deadLetters.getOrDefault("measured_in_future", 0L)).isEqualTo(report.futureSkewed());
                // The simulator's four kinds of contract breach; spo2 or a blood pressure "high" is an invalid_field.
                Map<String, Long> malformed = new HashMap<>(deadLetters);
                malformed.remove("implausible_value");
                malformed.remove("measured_in_future");
                assertThat(malformed.keySet()).isSubsetOf("not_json", "missing_field", "unknown_type", "wrong_unit", "invalid_field");
                assertThat(malformed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(report.malformed());
            }

            // What ingest counted agrees: nothing refused for another reason, every re-send a duplicate.
            Map<String, Double> metrics = EmbeddedPlatforms.metrics(platform);
            assertThat(metrics.get("careloop_ingest_readings_stored_total")).isEqualTo((double) report.valid());
            assertThat(metrics.get("careloop_ingest_readings_duplicate_total")).isEqualTo((double) report.duplicate());
        }
    }

    private static long single(Connection db, String sql, UUID practice) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setObject(1, practice);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Dead-letter rows by reason, of the given devices, or all of them for null. */
    private static Map<String, Long> deadLettersByReason(Connection db, Set<String> deviceIds) throws Exception {
        String where = deviceIds == null ? "" : " WHERE device_id = ANY (?)";
        try (PreparedStatement ps = db.prepareStatement("SELECT reason, count(*) FROM ingest.dead_letter" + where + " GROUP BY reason")) {
            if (deviceIds != null) {
                ps.setArray(1, db.createArrayOf("text", deviceIds.toArray()));
            }
            Map<String, Long> byReason = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byReason.put(rs.getString(1), rs.getLong(2));
                }
            }
            return byReason;
        }
    }

    /** Rows stored for the readings the simulator sent twice (device and measuredAt identify a simulated reading). */
    private static long distinctDuplicatedReadingsStored(Connection db, List<OutgoingMessage> planned) throws Exception {
        List<OutgoingMessage> resent = planned.stream().filter(m -> m.kind() == MessageKind.DUPLICATE).toList();
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM ingest.reading r "
                + "JOIN unnest(?::text[], ?::timestamptz[]) AS d (device_id, measured_at) "
                + "ON r.device_id = d.device_id AND r.measured_at = d.measured_at")) {
            ps.setArray(1, db.createArrayOf("text", resent.stream().map(OutgoingMessage::deviceId).toArray()));
            ps.setArray(2, db.createArrayOf("timestamptz", resent.stream()
                    .map(m -> java.sql.Timestamp.from(m.latestMeasuredAt())).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
