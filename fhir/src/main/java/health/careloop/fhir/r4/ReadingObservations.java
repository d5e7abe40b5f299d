package health.careloop.fhir.r4;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import health.careloop.fhir.r4.ResourceIds.ObservationKind;
import health.careloop.ingest.storage.StoredReading;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

/**
 * A stored reading as FHIR R4 Observations following the vital-signs profiles (FHIR R4 observation-vitalsigns.html):
 * the blood pressure panel 85354-9 with systolic 8480-6 and diastolic 8462-4 components, body weight 29463-7, oxygen
 * saturation (2708-6 with the pulse oximetry code 59408-5), and, where the cuff or oximeter measured a pulse, a heart
 * rate 8867-4 of its own, derived from the reading. Glucose is no vital sign: a laboratory Observation, coded by its
 * meal context where LOINC has a code for it (fasting: 1556-0 capillary blood), else 2339-0 (glucose in blood).
 * Values in UCUM; the effective time is the device's measured time with the device's own offset. A reading a person
 * entered (ingest's entered readings) names that person as performer, says so in a note, and has no device.
 */
public final class ReadingObservations {
    public static final String LOINC_BP_PANEL = "85354-9";
    public static final String LOINC_SYSTOLIC = "8480-6";
    public static final String LOINC_DIASTOLIC = "8462-4";
    public static final String LOINC_HEART_RATE = "8867-4";
    public static final String LOINC_BODY_WEIGHT = "29463-7";
    public static final String LOINC_OXYGEN_SATURATION = "2708-6";
    public static final String LOINC_PULSE_OXIMETRY = "59408-5";
    public static final String LOINC_GLUCOSE = "2339-0";
    public static final String LOINC_FASTING_GLUCOSE_CAPILLARY = "1556-0";

    private static final String PROFILE = "http://hl7.org/fhir/StructureDefinition/";

    private ReadingObservations() {
    }

    /** The reading's observation and, when it carries a pulse, the heart rate's. */
    public static List<Observation> of(StoredReading reading) {
        List<Observation> result = new ArrayList<>(2);
        result.add(primary(reading));
        if (reading.pulse() != null) {
            result.add(heartRate(reading));
        }
        return result;
    }

    public static Observation of(StoredReading reading, ObservationKind kind) {
        return kind.isHeartRate() ? heartRate(reading) : primary(reading);
    }

    public static Observation primary(StoredReading r) {
        Observation o = base(r, ObservationKind.primaryOf(r.type()));
        switch (r.type()) {
            case "blood_pressure" -> {
                vitalSign(o, "bp", LOINC_BP_PANEL, "Blood pressure panel with all children optional");
                o.addComponent().setCode(loinc(LOINC_SYSTOLIC, "Systolic blood pressure"))
                        .setValue(ucum(BigDecimal.valueOf(r.systolic()), "mm[Hg]", "mmHg"));
                o.addComponent().setCode(loinc(LOINC_DIASTOLIC, "Diastolic blood pressure"))
                        .setValue(ucum(BigDecimal.valueOf(r.diastolic()), "mm[Hg]", "mmHg"));
            }
            case "body_weight" -> {
                vitalSign(o, "bodyweight", LOINC_BODY_WEIGHT, "Body weight");
                o.setValue(ucum(r.weightKg(), "kg", "kg"));
            }
            case "oxygen_saturation" -> {
                vitalSign(o, "oxygensat", LOINC_OXYGEN_SATURATION, "Oxygen saturation in Arterial blood");
                o.getCode().addCoding(new Coding(CodeSystems.LOINC, LOINC_PULSE_OXIMETRY,
                        "Oxygen saturation in Arterial blood by Pulse oximetry"));
                o.setValue(ucum(r.spo2(), "%", "%"));
            }
            case "blood_glucose" -> glucose(o, r);
            default -> throw new IllegalArgumentException("No observation for reading type " + r.type());
        }
        return o;
    }

    public static Observation heartRate(StoredReading r) {
        if (r.pulse() == null) {
            throw new IllegalArgumentException("The reading has no pulse");
        }
        Observation o = base(r, ObservationKind.heartRateOf(r.type()));
        vitalSign(o, "heartrate", LOINC_HEART_RATE, "Heart rate");
        o.setValue(ucum(BigDecimal.valueOf(r.pulse()), "/min", "beats/minute"));
        ResourceIds.observation(ObservationKind.primaryOf(r.type()), r.measuredAt(), r.deviceId())
                .ifPresent(parent -> o.addDerivedFrom(new Reference("Observation/" + parent)));
        return o;
    }

    private static Observation base(StoredReading r, ObservationKind kind) {
        Observation o = new Observation();
        ResourceIds.observation(kind, r.measuredAt(), r.deviceId()).ifPresent(o::setId);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setSubject(new Reference("Patient/" + r.patientId()));
        // The device's own offset, to the millisecond when the device sent one.
        DateTimeType effective = new DateTimeType(Date.from(r.measuredAt()),
                r.measuredAt().getNano() % 1_000_000_000 == 0 ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI,
                TimeZone.getTimeZone(ZoneOffset.ofTotalSeconds(r.offsetMinutes() * 60)));
        o.setEffective(effective);
        o.setIssuedElement(new InstantType(Date.from(r.receivedAt())));
        if (r.enteredBy() != null) {
            // Entered by a person (phoned in, taken in the clinic): no device vouches for it, the person who entered it does.
            o.addPerformer(new Reference().setDisplay("entered by staff member " + r.enteredBy()
                    + (r.entrySource() == null ? "" : " (" + r.entrySource().replace('_', ' ') + ")")));
            o.addNote().setText("Entered by a person, not transmitted by a device" + (r.entrySource() == null ? "" : ": " + r.entrySource().replace('_', ' ')));
            return o;
        }
        Reference device = new Reference().setDisplay(r.deviceId());
        ResourceIds.device(r.deviceId()).ifPresent(id -> device.setReference("Device/" + id));
        o.setDevice(device);
        return o;
    }

    private static void vitalSign(Observation o, String profile, String loinc, String display) {
        o.getMeta().addProfile(PROFILE + profile);
        o.addCategory(category("vital-signs", "Vital Signs"));
        o.setCode(loinc(loinc, display));
    }

    private static void glucose(Observation o, StoredReading r) {
        o.addCategory(category("laboratory", "Laboratory"));
        String context = r.mealContext();
        CodeableConcept code = "fasting".equals(context)
                ? loinc(LOINC_FASTING_GLUCOSE_CAPILLARY, "Fasting glucose [Mass/volume] in Capillary blood")
                : loinc(LOINC_GLUCOSE, "Glucose [Mass/volume] in Blood");
        code.setText(context == null ? "Blood glucose" : "Blood glucose, " + context.replace('_', ' '));
        o.setCode(code);
        o.setValue(ucum(r.glucoseMgDl(), "mg/dL", "mg/dL"));
    }

    private static CodeableConcept category(String code, String display) {
        return new CodeableConcept(new Coding(CodeSystems.OBSERVATION_CATEGORY, code, display)).setText(display);
    }

    static CodeableConcept loinc(String code, String display) {
        return new CodeableConcept(new Coding(CodeSystems.LOINC, code, display));
    }

    private static Quantity ucum(BigDecimal value, String code, String unit) {
        return new Quantity().setValue(value).setUnit(unit).setSystem(CodeSystems.UCUM).setCode(code);
    }
}
