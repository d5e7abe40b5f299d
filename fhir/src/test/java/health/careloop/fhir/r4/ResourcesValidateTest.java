package health.careloop.fhir.r4;

import health.careloop.clinical.careplan.CarePlan;
import health.careloop.clinical.careplan.CarePlanVersion;
import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.ExpectedDuration;
import health.careloop.clinical.consent.ConsentElement;
import health.careloop.clinical.consent.ConsentRecord;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.clinical.patients.Sex;
import health.careloop.common.directory.Patient;
import health.careloop.fhir.testing.FhirValidation;
import health.careloop.ingest.devices.Assignment;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.devices.DeviceRecord;
import health.careloop.ingest.storage.StoredReading;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every resource type CareLoop emits validates without errors against R4 core and the vital-signs profiles. */
class ResourcesValidateTest {
    static final UUID PRACTICE = UUID.randomUUID();
    static final UUID PATIENT = UUID.randomUUID();
    static final Instant AT = Instant.parse("2026-11-03T13:45:10.250Z");

    static StoredReading reading(String type, Integer sys, Integer dia, Integer pulse, BigDecimal glucose, String meal, BigDecimal kg, BigDecimal spo2) {
        return new StoredReading("cuff_1.a", type, AT, -360, AT.plusSeconds(2), PATIENT, PRACTICE, LocalDate.of(2026, 11, 3), null,
                sys, dia, pulse, glucose, meal, kg, spo2, "x", "0", "x");
    }

    private static void assertValid(IBaseResource resource) {
        assertThat(FhirValidation.errors(resource)).as(Fhir.json(resource)).isEmpty();
    }

    @Test
    void readingsAreVitalSignsObservations() {
        List<Observation> bp = ReadingObservations.of(reading("blood_pressure", 128, 82, 70, null, null, null, null));
        assertThat(bp).hasSize(2);
        assertThat(bp.get(0).getMeta().getProfile().get(0).getValue()).isEqualTo("http://hl7.org/fhir/StructureDefinition/bp");
        assertThat(bp.get(0).getCode().getCodingFirstRep().getCode()).isEqualTo("85354-9");
        assertThat(bp.get(0).getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode()).containsExactly("8480-6", "8462-4");
        assertThat(bp.get(1).getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
        assertThat(bp.get(0).getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-11-03T07:45:10.250-06:00");
        bp.forEach(ResourcesValidateTest::assertValid);
        assertValid(ReadingObservations.primary(reading("body_weight", null, null, null, null, null, new BigDecimal("81.4"), null)));
        List<Observation> spo2 = ReadingObservations.of(reading("oxygen_saturation", null, null, 64, null, null, null, new BigDecimal("95")));
        spo2.forEach(ResourcesValidateTest::assertValid);
        Observation fasting = ReadingObservations.primary(reading("blood_glucose", null, null, null, new BigDecimal("104"), "fasting", null, null));
        assertThat(fasting.getCode().getCodingFirstRep().getCode()).isEqualTo("1556-0");
        assertValid(fasting);
        Observation afterMeal = ReadingObservations.primary(reading("blood_glucose", null, null, null, new BigDecimal("162"), "after_meal", null, null));
        assertThat(afterMeal.getCode().getCodingFirstRep().getCode()).isEqualTo("2339-0");
        assertValid(afterMeal);
    }

    @Test
    void aReadingEnteredByAPersonSaysSoAndNamesNoDevice() {
        UUID nurse = UUID.randomUUID();
        StoredReading entered = new StoredReading("careloop-entered-" + PATIENT, "blood_pressure", AT, -360, AT, PATIENT, PRACTICE,
                LocalDate.of(2026, 11, 3), null, 150, 95, 80, null, null, null, null, "mmHg", "85354-9", null, nurse, "phoned_in");
        for (Observation o : ReadingObservations.of(entered)) {
            assertThat(o.hasDevice()).isFalse();
            String id = o.getIdElement().getIdPart();
            assertThat(id).as("an id of its own, within FHIR's 64 characters").matches("[A-Za-z0-9.\\-]{1,64}");
            ResourceIds.ObservationKey key = ResourceIds.observationKey(id).orElseThrow();
            assertThat(key.deviceId()).isEqualTo("careloop-entered-" + PATIENT);
            assertThat(key.measuredAt()).isEqualTo(AT);
            assertThat(o.getPerformerFirstRep().getDisplay()).contains(nurse.toString()).contains("phoned in");
            assertValid(o);
        }
    }

    @Test
    void observationIdsRoundTrip() {
        String id = ResourceIds.observation(ResourceIds.ObservationKind.HEART_RATE_OF_CUFF, AT, "cuff_1.a-b").orElseThrow();
        assertThat(id).matches("[A-Za-z0-9.\\-]{1,64}");
        ResourceIds.ObservationKey key = ResourceIds.observationKey(id).orElseThrow();
        assertThat(key.kind()).isEqualTo(ResourceIds.ObservationKind.HEART_RATE_OF_CUFF);
        assertThat(key.measuredAt()).isEqualTo(AT);
        assertThat(key.deviceId()).isEqualTo("cuff_1.a-b");
        assertThat(ResourceIds.observationKey("bp-zz-a.b")).isEmpty();
        assertThat(ResourceIds.observationKey("nope")).isEmpty();
        assertThat(ResourceIds.device("x".repeat(64) + "_")).isEmpty();
        // An entered reading's pseudo device is written .e and the patient id, which no escaped device id can be.
        String entered = ResourceIds.observation(ResourceIds.ObservationKind.HEART_RATE_OF_OXIMETER, AT, "careloop-entered-" + PATIENT).orElseThrow();
        assertThat(entered).hasSizeLessThanOrEqualTo(64).contains("-.e" + PATIENT.toString().replace("-", ""));
        assertThat(ResourceIds.observationKey(entered).orElseThrow().deviceId()).isEqualTo("careloop-entered-" + PATIENT);
        assertThat(ResourceIds.observationKey("bp-zz-.e1234")).isEmpty();
        assertThat(ResourceIds.observationKey(ResourceIds.observation(ResourceIds.ObservationKind.BLOOD_PRESSURE, AT, "careloop-entered-x").orElseThrow())
                .orElseThrow().deviceId()).as("a device merely named like it").isEqualTo("careloop-entered-x");
    }

    @Test
    void recordsValidate() {
        Patient patient = new Patient(PATIENT, PRACTICE, "MRN-1001");
        assertValid(PatientResources.of(patient, null));
        PatientProfile profile = new PatientProfile(PATIENT, PRACTICE, "Edith", "Demoford", LocalDate.of(1948, 2, 3), Sex.FEMALE, "1EG4TE5MK73",
                new Address("1 Main St", "Apt 2", "Springfield", "IL", "627010001"), "555-0101", "x", AT);
        assertValid(PatientResources.of(patient, profile));
        UUID conditionId = UUID.randomUUID();
        assertValid(ConditionResources.of(new Condition(conditionId, PRACTICE, PATIENT, "I10", "Essential hypertension", LocalDate.of(2019, 1, 1),
                ExpectedDuration.LIFELONG, true, null, "x", AT)));
        assertValid(ConditionResources.of(new Condition(UUID.randomUUID(), PRACTICE, PATIENT, "J44.9", "COPD", null,
                ExpectedDuration.LIFELONG, true, LocalDate.of(2026, 1, 1), "x", AT)));
        assertValid(ConsentResources.of(new ConsentRecord(UUID.randomUUID(), PRACTICE, PATIENT, Program.CCM, "written", LocalDate.of(2026, 9, 2),
                UUID.randomUUID(), EnumSet.allOf(ConsentElement.class), true, null, "x", AT, LocalDate.of(2026, 11, 10), "x")));
        assertValid(ConsentResources.of(new ConsentRecord(UUID.randomUUID(), PRACTICE, PATIENT, Program.RPM, "verbal", LocalDate.of(2026, 9, 2),
                null, EnumSet.noneOf(ConsentElement.class), false, null, "x", AT, null, null)));
        CarePlan plan = new CarePlan(List.of(new CarePlan.Problem(conditionId, "I10", "Essential hypertension")), "Stable BP", "Good",
                List.of(new CarePlan.Goal("Blood pressure", "SBP < 130 mmHg", LocalDate.of(2027, 3, 1))), "Call if dizzy",
                List.of(new CarePlan.Intervention("Home BP monitoring", "RN")), List.of(new CarePlan.Medication("Lisinopril", "10 mg", "daily")),
                List.of(new CarePlan.CommunityResource("Meals on wheels", "weekly")), List.of(new CarePlan.CoordinatingProvider("Dr Heart", "cardiology", "555-0102")),
                LocalDate.of(2027, 1, 1));
        CarePlanVersion v = new CarePlanVersion(UUID.randomUUID(), PRACTICE, PATIENT, 2, plan, "x", List.of("goals"), "x", null, "Dr Okafor", AT,
                LocalDate.of(2026, 9, 15));
        var carePlan = CarePlanResources.of(v, true, UUID.randomUUID().toString());
        assertThat(carePlan.getCreatedElement().getValueAsString()).isEqualTo("2026-09-15");
        assertValid(carePlan);
        assertValid(DeviceResources.of(new DeviceRecord("cuff_1", PRACTICE, ZoneId.of("UTC"), DeviceKind.BLOOD_PRESSURE_CUFF, "A&D UA-651",
                AT, List.of(new Assignment(1, PATIENT, AT.minusSeconds(100), null))), AT));
    }
}
