package health.careloop.ingest;

import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.embedded.EmbeddedBroker;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.metrics.IngestMetrics;
import health.careloop.ingest.storage.StoredReading;
import health.careloop.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Readings published with a real MQTT client through a real broker into a real PostgreSQL. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IngestEndToEndTest {
    static EmbeddedBroker broker;
    static IngestHarness ingest;
    static TestDevice publisher;
    static Practice practice;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(Files.createTempDirectory("hivemq"), 0, false);
        ingest = IngestHarness.onFreshDatabase();
        ingest.startConsumer(broker.config());
        publisher = new TestDevice(broker.config().url());
        practice = ingest.practice("America/Chicago");
    }

    @AfterAll
    static void stop() throws Exception {
        publisher.close();
        ingest.close();
        broker.close();
    }

    private static String at(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.ofHours(-6)).toString();
    }

    private static List<StoredReading> readingsOf(Patient patient) throws Exception {
        return ingest.tier.readings().readings(patient.id(), Instant.now().minus(Duration.ofDays(300)), Instant.now().plusSeconds(600), null, 1000);
    }

    @Test
    void everyReadingTypeIsStoredInStoredUnitsWithItsLoincCode() throws Exception {
        Patient patient = ingest.patient(practice);
        String cuff = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
        String meter = ingest.device(patient, DeviceKind.GLUCOMETER);
        String scale = ingest.device(patient, DeviceKind.SCALE);
        String oximeter = ingest.device(patient, DeviceKind.PULSE_OXIMETER);
        Instant t = Instant.now().minusSeconds(60);

        publisher.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(t) + "\",\"systolic\":142,\"diastolic\":91,\"pulse\":77}");
        publisher.publish(meter, "{\"type\":\"blood_glucose\",\"measuredAt\":\"" + at(t) + "\",\"glucose\":5.5,\"unit\":\"mmol/L\",\"mealContext\":\"fasting\"}");
        publisher.publish(scale, "{\"type\":\"body_weight\",\"measuredAt\":\"" + at(t) + "\",\"weight\":180,\"unit\":\"lb\"}");
        publisher.publish(oximeter, "{\"type\":\"oxygen_saturation\",\"measuredAt\":\"" + at(t) + "\",\"spo2\":94,\"pulse\":81,\"readingId\":\"ox-1\"}");
        ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE patient_id = '" + patient.id() + "'", 4);

        List<StoredReading> readings = readingsOf(patient);
        StoredReading bp = readings.stream().filter(r -> r.type().equals("blood_pressure")).findFirst().orElseThrow();
        assertThat(bp.systolic()).isEqualTo(142);
        assertThat(bp.diastolic()).isEqualTo(91);
        assertThat(bp.pulse()).isEqualTo(77);
        assertThat(bp.unit()).isEqualTo("mmHg");
        assertThat(bp.loinc()).isEqualTo("85354-9");
        assertThat(bp.offsetMinutes()).isEqualTo(-360);
        assertThat(bp.practiceId()).isEqualTo(practice.id());
        StoredReading glucose = readings.stream().filter(r -> r.type().equals("blood_glucose")).findFirst().orElseThrow();
        assertThat(glucose.glucoseMgDl()).isEqualByComparingTo("99.1"); // 5.5 mmol/L x 18.0156
        assertThat(glucose.mealContext()).isEqualTo("fasting");
        assertThat(glucose.sourceUnit()).isEqualTo("mmol/L");
        assertThat(glucose.loinc()).isEqualTo("2339-0");
        StoredReading weight = readings.stream().filter(r -> r.type().equals("body_weight")).findFirst().orElseThrow();
        assertThat(weight.weightKg()).isEqualByComparingTo("81.65"); // 180 lb x 0.45359237
        assertThat(weight.unit()).isEqualTo("kg");
        assertThat(weight.loinc()).isEqualTo("29463-7");
        StoredReading spo2 = readings.stream().filter(r -> r.type().equals("oxygen_saturation")).findFirst().orElseThrow();
        assertThat(spo2.spo2()).isEqualByComparingTo("94");
        assertThat(spo2.pulse()).isEqualTo(81);
        assertThat(spo2.readingId()).isEqualTo("ox-1");
        assertThat(spo2.loinc()).isEqualTo("59408-5");
        assertThat(spo2.localDate()).isEqualTo(LocalDate.ofInstant(t, practice.timeZone()));
        assertThat(ingest.tier.readings().dataDays(patient.id(), LocalDate.now().minusDays(2), LocalDate.now().plusDays(1)))
                .containsEntry(LocalDate.ofInstant(t, practice.timeZone()), 4L);
    }

    @Test
    void aBatchMixingGoodAndBadReadingsStoresTheGoodOnesAndDeadLettersEachBadOneWithItsReason() throws Exception {
        Patient patient = ingest.patient(practice);
        String cuff = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
        Instant t = Instant.now().minus(Duration.ofHours(3));
        String batch = "[" + String.join(",",
                "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(t) + "\",\"systolic\":120,\"diastolic\":80}",
                "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(t.plusSeconds(60)) + "\",\"systolic\":400,\"diastolic\":80}",
                "{\"type\":\"heart_sound\",\"measuredAt\":\"" + at(t.plusSeconds(120)) + "\"}",
                "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(t.plusSeconds(180)) + "\",\"diastolic\":80}",
                "{\"type\":\"blood_glucose\",\"measuredAt\":\"" + at(t.plusSeconds(240)) + "\",\"glucose\":100,\"unit\":\"g/L\"}",
                "{\"type\":\"blood_pressure\",\"measuredAt\":\"yesterday\",\"systolic\":120,\"diastolic\":80}",
                "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(Instant.now().plus(Duration.ofHours(2))) + "\",\"systolic\":120,\"diastolic\":80}",
                "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(Instant.now().minus(Duration.ofDays(500))) + "\",\"systolic\":120,\"diastolic\":80}",
                "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(t.plusSeconds(300)) + "\",\"systolic\":\"120\",\"diastolic\":80}",
                "42",
                "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(t.plusSeconds(360)) + "\",\"systolic\":118,\"diastolic\":79}") + "]";
        publisher.publish(cuff, batch);
        ingest.awaitCount("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + cuff + "'", 9);
        ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + cuff + "'", 2);

        assertThat(reasonsOf(cuff)).containsExactly(
                "1:implausible_value", "2:unknown_type", "3:missing_field", "4:wrong_unit", "5:invalid_timestamp",
                "6:measured_in_future", "7:measured_too_old", "8:invalid_field", "9:not_a_reading");
        assertThat(ingest.counter(IngestMetrics.REJECTED, "reason", "implausible_value")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void messagesThatAreNotReadingsAreDeadLetteredWhole() throws Exception {
        Patient patient = ingest.patient(practice);
        String cuff = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
        publisher.publish(cuff, "{not json");
        publisher.publishRaw("rpm/v1/devices/" + cuff + "/readings", new byte[]{(byte) 0xC3, 0x28, '{', '}'});
        publisher.publish(cuff, "[]");
        publisher.publish(cuff, "\"a string\"");
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"type\":\"blood_pressure\"}");
        }
        publisher.publish(cuff, tooMany.append("]").toString());
        publisher.publishRaw("rpm/v1/devices/" + cuff + "/readings", new byte[300 * 1024]);
        publisher.publishRaw("rpm/v1/devices/" + cuff + "/status", "{}".getBytes());
        ingest.awaitCount("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + cuff + "'", 6);
        assertThat(reasonsOf(cuff)).containsExactlyInAnyOrder("-:not_json", "-:not_json", "-:not_a_reading", "-:not_a_reading",
                "-:too_many_readings", "-:payload_too_large");
        assertThat(ingest.count("SELECT count(*) FROM ingest.dead_letter WHERE reason = 'payload_too_large' AND length(payload) = 307200"))
                .isEqualTo(1);
    }

    /** Issue 14: {"systolic":120,"systolic":300} was stored as 300. Now a dead letter with its bytes; neighbours are stored. */
    @Test
    void aReadingThatRepeatsAKeyIsDeadLetteredAsDuplicateKeyAndNothingOfItIsStored() throws Exception {
        Patient patient = ingest.patient(practice);
        String cuff = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
        Instant t = Instant.now().minus(Duration.ofHours(2));
        String twice = "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(t) + "\",\"systolic\":120,\"systolic\":300,\"diastolic\":80}";
        publisher.publish(cuff, twice);
        publisher.publish(cuff, "[" + twice.replace(at(t), at(t.plusSeconds(60))) + ",{\"type\":\"blood_pressure\",\"measuredAt\":\""
                + at(t.plusSeconds(120)) + "\",\"systolic\":121,\"diastolic\":81}]");
        ingest.awaitCount("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + cuff + "'", 2);
        ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + cuff + "'", 1);
        assertThat(reasonsOf(cuff)).containsExactly("0:duplicate_key", "-:duplicate_key");
        assertThat(ingest.count("SELECT count(*) FROM ingest.reading WHERE device_id = '" + cuff + "' AND systolic = 121")).isEqualTo(1);
        assertThat(ingest.count("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + cuff + "' AND element_index IS NULL AND "
                + "convert_from(payload, 'UTF8') = '" + twice + "' AND detail = 'key ''systolic'' appears more than once'")).isEqualTo(1);
        assertThat(ingest.counter(IngestMetrics.REJECTED, "reason", "duplicate_key")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void readingsFromUnknownOrUnassignedDevicesAreDeadLettered() throws Exception {
        Patient patient = ingest.patient(practice);
        String unassigned = "cuff-unassigned-" + patient.id().toString().substring(0, 6);
        ingest.devices.register(unassigned, practice.id(), DeviceKind.BLOOD_PRESSURE_CUFF, null);
        ingest.devices.assign(unassigned, patient.id(), Instant.now().minus(Duration.ofDays(1)), null);
        String unknown = "never-registered-" + patient.id().toString().substring(0, 6);
        publisher.publish(unknown, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(Instant.now()) + "\",\"systolic\":120,\"diastolic\":80}");
        publisher.publish(unassigned, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(Instant.now().minus(Duration.ofDays(3)))
                + "\",\"systolic\":120,\"diastolic\":80}");
        ingest.awaitCount("SELECT count(*) FROM ingest.dead_letter WHERE device_id IN ('" + unknown + "','" + unassigned + "')", 2);
        assertThat(reasonsOf(unknown)).containsExactly("-:unknown_device");
        assertThat(reasonsOf(unassigned)).containsExactly("-:device_not_assigned");
    }

    @Test
    void theSameReadingsPublishedTwiceAreStoredOnceAndCountedAsDuplicates() throws Exception {
        Patient patient = ingest.patient(practice);
        String scale = ingest.device(patient, DeviceKind.SCALE);
        StringBuilder batch = new StringBuilder("[");
        Instant start = Instant.now().minus(Duration.ofDays(20));
        for (int day = 0; day < 20; day++) {
            batch.append(day == 0 ? "" : ",").append("{\"type\":\"body_weight\",\"measuredAt\":\"").append(at(start.plus(Duration.ofDays(day))))
                    .append("\",\"weight\":").append(80 + day * 0.1).append(",\"unit\":\"kg\"}");
        }
        batch.append("]");
        double duplicatesBefore = ingest.counter(IngestMetrics.DUPLICATE);
        publisher.publish(scale, batch.toString());
        ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + scale + "'", 20);
        publisher.publish(scale, batch.toString());
        publisher.publish(scale, batch.toString());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ingest.counter(IngestMetrics.DUPLICATE) - duplicatesBefore == 40);
        assertThat(ingest.count("SELECT count(*) FROM ingest.reading WHERE device_id = '" + scale + "'")).isEqualTo(20);
        assertThat(ingest.count("SELECT sum(reading_count) FROM ingest.reading_day WHERE patient_id = '" + patient.id() + "'")).isEqualTo(20);
        assertThat(ingest.count("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + scale + "'")).isZero();
        // Each new reading, and only new ones, is handed to the clinical evaluator.
        assertThat(ingest.count("SELECT count(*) FROM ingest.evaluation_queue WHERE device_id = '" + scale + "'")).isEqualTo(20);
    }

    @Test
    void readingsOfAMovedDeviceBelongToWhoeverHadItAtMeasuredAt() throws Exception {
        Patient first = ingest.patient(practice);
        Patient second = ingest.patient(practice);
        String cuff = "moving-cuff-" + first.id().toString().substring(0, 6);
        Instant moveAt = Instant.now().minus(Duration.ofDays(5)).truncatedTo(ChronoUnit.SECONDS);
        ingest.devices.register(cuff, practice.id(), DeviceKind.BLOOD_PRESSURE_CUFF, null);
        ingest.devices.assign(cuff, first.id(), moveAt.minus(Duration.ofDays(30)), null);
        ingest.devices.assign(cuff, second.id(), moveAt, null);

        // Published out of order and in one batch: attribution depends on measuredAt only.
        publisher.publish(cuff, "[{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(moveAt.plusSeconds(1)) + "\",\"systolic\":130,\"diastolic\":85},"
                + "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(moveAt.minusSeconds(1)) + "\",\"systolic\":150,\"diastolic\":95}]");
        ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + cuff + "'", 2);
        assertThat(readingsOf(first)).extracting(StoredReading::systolic).containsExactly(150);
        assertThat(readingsOf(second)).extracting(StoredReading::systolic).containsExactly(130);
        // The first patient is no longer monitored, but their past periods still count for billing.
        assertThat(ingest.devices.monitoredPatients()).extracting(health.careloop.ingest.devices.MonitoredPatient::patientId)
                .contains(second.id()).doesNotContain(first.id());
        assertThat(ingest.devices.everMonitoredPatients()).filteredOn(p -> p.patientId().equals(first.id())).singleElement()
                .satisfies(p -> assertThat(p.firstAssigned()).isEqualTo(moveAt.minus(Duration.ofDays(30))));
    }

    @Test
    void aMessageTheDatabaseRefusesAloneIsDeadLetteredWhileItsBatchNeighboursAreStored() throws Exception {
        Patient patient = ingest.patient(practice);
        String cuff = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
        // A month without its partition: the database refuses rows for it, and only those.
        Instant lostMonth = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusMonths(4).withDayOfMonth(10).toInstant();
        String partition = "reading_" + java.time.format.DateTimeFormatter.ofPattern("yyyy_MM").format(lostMonth.atZone(java.time.ZoneOffset.UTC));
        try (var c = ingest.database.connection(); var s = c.createStatement()) {
            s.execute("DROP TABLE ingest." + partition);
        }
        try (TestDevice burst = new TestDevice(broker.config().url())) {
            burst.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(Instant.now().minusSeconds(10)) + "\",\"systolic\":121,\"diastolic\":81}");
            burst.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(lostMonth) + "\",\"systolic\":122,\"diastolic\":82}");
            burst.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at(Instant.now().minusSeconds(5)) + "\",\"systolic\":123,\"diastolic\":83}");
        } finally {
            ingest.awaitCount("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + cuff + "'", 1);
            new health.careloop.ingest.storage.StorageMaintenance(ingest.database.dataSource(), ingest.tier.storageMode(),
                    Duration.ofDays(400)).run();
        }
        ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + cuff + "'", 2);
        assertThat(reasonsOf(cuff)).containsExactly("-:storage_error");
        assertThat(ingest.count("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + cuff + "' AND detail LIKE '%SQLState 23514%'"))
                .isEqualTo(1);
    }

    private static List<String> reasonsOf(String deviceId) {
        List<String> reasons = new java.util.ArrayList<>();
        try (var c = ingest.database.connection(); var ps = c.prepareStatement(
                "SELECT coalesce(element_index::text, '-') || ':' || reason FROM ingest.dead_letter WHERE device_id = ? ORDER BY element_index, id")) {
            ps.setString(1, deviceId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    reasons.add(rs.getString(1));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return reasons;
    }
}
