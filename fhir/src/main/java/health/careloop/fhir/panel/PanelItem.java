package health.careloop.fhir.panel;

import health.careloop.clinical.careplan.CarePlan;
import health.careloop.clinical.conditions.ExpectedDuration;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.Sex;
import health.careloop.billing.encounters.VisitKind;
import health.careloop.ingest.devices.DeviceKind;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One record of a practice's panel as read from a FHIR Bundle or a CSV file, in CareLoop's terms, or why it cannot be
 * imported. {@code label} names it in the report ("Condition/c1 (entry 3)", "line 7"); {@code key} is its identity in the
 * source (identifier system and value), which the crosswalk keys on; {@code patient} is the key of its patient.
 */
public sealed interface PanelItem {
    String label();

    /** The identity of a source record: the system its identifier belongs to, and the value. */
    record Key(String type, String system, String value) {
        @Override
        public String toString() {
            return type + " " + value;
        }
    }

    /** What cannot be imported, and why, in words. */
    record Refused(String label, String reason) implements PanelItem {
    }

    /** A record to import. */
    sealed interface Record extends PanelItem {
        Key key();

        /** The patient it belongs to (the patient's own key for a Patient); null for a Practitioner. */
        Key patient();
    }

    record PatientRecord(String label, Key key, String mrn, String mbi, String givenName, String familyName, LocalDate birthDate, Sex sex,
                         String phone, Address address) implements Record {
        @Override
        public Key patient() {
            return key;
        }
    }

    record PractitionerRecord(String label, Key key, String npi, String name) implements Record {
        @Override
        public Key patient() {
            return null;
        }
    }

    record ConditionRecord(String label, Key key, Key patient, String icd10, String description, LocalDate onset, LocalDate abatement,
                           ExpectedDuration expectedDuration, boolean significantRisk) implements Record {
    }

    /** @param practitioner the key of the Practitioner who obtained it, or null */
    record ConsentRecord(String label, Key key, Key patient, Program program, String method, LocalDate obtainedOn, boolean accepted,
                         LocalDate revokedOn, Key practitioner) implements Record {
    }

    /** @param plan its problems' conditionIds are unset (null): {@code conditions} names them by their source keys */
    record CarePlanRecord(String label, Key key, Key patient, LocalDate establishedOn, CarePlan plan, java.util.List<Key> conditions)
            implements Record {
    }

    record EncounterRecord(String label, Key key, Key patient, VisitKind kind, LocalDate date, Key practitioner, boolean ccmAssessment)
            implements Record {
    }

    record DeviceRecord(String label, Key key, Key patient, String deviceId, DeviceKind kind, String model, Instant assignedFrom)
            implements Record {
    }
}
