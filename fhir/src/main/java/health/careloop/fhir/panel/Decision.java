package health.careloop.fhir.panel;

import health.careloop.billing.encounters.Visit;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.consent.ConsentRecord;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.common.directory.Patient;
import health.careloop.fhir.panel.ImportReport.Action;
import health.careloop.ingest.devices.DeviceKind;

import java.time.Instant;
import java.util.UUID;

/**
 * What the import decided for one record of the panel: its line of the report and, for a record to create or update,
 * the write that makes it so ({@code write} null when there is nothing to write). Decided for a chunk of patients before
 * any of it is written, so the chunk's writes go to their owners in batches.
 *
 * @param index      the record's position in the file, which orders the report
 * @param patientId  the CareLoop patient it belongs to (chosen ahead for a new patient); null when none could be found
 * @param newPatient the patient is created by this import (a dry run reports no id for it)
 * @param targetId   the CareLoop record it becomes (a care plan's version id is known only once written)
 */
record Decision(int index, PanelItem.Record record, Action action, String words, UUID patientId, boolean newPatient, String targetId,
                String hash, Write write) {

    static Decision refused(int index, PanelItem.Record record, String why, UUID patientId, boolean newPatient) {
        return new Decision(index, record, Action.REFUSED, why, patientId, newPatient, null, null, null);
    }

    Decision refused(String why) {
        return refused(index, record, why, patientId, newPatient);
    }

    Decision written(String target, String doneWords) {
        return new Decision(index, record, action, doneWords, patientId, newPatient, target, hash, write);
    }

    /** A write of one record, in its owner's terms. */
    sealed interface Write {
    }

    /** @param patient null when the patient exists and only its demographics are replaced */
    record PatientWrite(Patient patient, PatientProfile profile) implements Write {
    }

    record NewCondition(Condition condition) implements Write {
    }

    /** @param ended the existing condition with its new end day */
    record EndCondition(Condition ended) implements Write {
    }

    record NewConsent(ConsentRecord consent) implements Write {
    }

    /** @param revoked the existing consent with its revocation day and who revoked it */
    record RevokeConsent(ConsentRecord revoked) implements Write {
    }

    record NewCarePlan(CarePlans.Imported plan) implements Write {
    }

    record NewVisit(Visit visit) implements Write {
    }

    /** Registered and given to the patient after the chunk's transaction (the device registry owns its own transactions). */
    record NewDevice(String deviceId, DeviceKind kind, String model, Instant assignedFrom) implements Write {
    }
}
