package health.careloop.fhir.panel;

import health.careloop.billing.encounters.Visit;
import health.careloop.billing.encounters.Visits;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.consent.ConsentRecord;
import health.careloop.clinical.consent.Consents;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.fhir.panel.ImportReport.Action;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a chunk's decisions on the caller's connection (one transaction): each kind of record in one batch through its
 * owner's code (Directory, PatientProfiles, Conditions, Consents, CarePlans, Visits), then the crosswalk and the change
 * events. Devices are left to the caller (the device registry commits on its own). Returns the decisions as done: a care
 * plan its owner refuses after all (a version that would not run forward) becomes a refusal, and the others keep theirs.
 */
final class ChunkWriter {
    private ChunkWriter() {
    }

    static List<Decision> write(Connection c, UUID practice, Principal principal, List<Decision> decisions) throws SQLException {
        List<Patient> patients = new ArrayList<>();
        List<PatientProfile> profiles = new ArrayList<>();
        List<Condition> newConditions = new ArrayList<>();
        List<Condition> ended = new ArrayList<>();
        List<ConsentRecord> newConsents = new ArrayList<>();
        List<ConsentRecord> revoked = new ArrayList<>();
        List<CarePlans.Imported> plans = new ArrayList<>();
        List<Visit> visits = new ArrayList<>();
        for (Decision d : decisions) {
            if (d.write() instanceof Decision.PatientWrite w) {
                if (w.patient() != null) {
                    patients.add(w.patient());
                }
                profiles.add(w.profile());
            } else if (d.write() instanceof Decision.NewCondition w) {
                newConditions.add(w.condition());
            } else if (d.write() instanceof Decision.EndCondition w) {
                ended.add(w.ended());
            } else if (d.write() instanceof Decision.NewConsent w) {
                newConsents.add(w.consent());
            } else if (d.write() instanceof Decision.RevokeConsent w) {
                revoked.add(w.revoked());
            } else if (d.write() instanceof Decision.NewCarePlan w) {
                plans.add(w.plan());
            } else if (d.write() instanceof Decision.NewVisit w) {
                visits.add(w.visit());
            }
        }
        Directory.insertPatients(c, patients);
        PatientProfiles.saveAll(c, profiles);
        Conditions.addImported(c, newConditions);
        Conditions.endAll(c, ended);
        Consents.recordImported(c, newConsents);
        Consents.revokeAll(c, revoked);
        CarePlans.Author author = new CarePlans.Author(principal.actor(), principal.staffId(), principal.displayName());
        List<CarePlans.Result> planResults = CarePlans.appendImported(c, plans, author);
        Visits.recordImported(c, visits);

        List<Decision> done = new ArrayList<>();
        List<Crosswalk.Written> written = new ArrayList<>();
        int plan = 0;
        for (Decision d : decisions) {
            Decision result = d;
            if (d.write() instanceof Decision.NewCarePlan) {
                CarePlans.Result r = planResults.get(plan++);
                result = r.refusal() != null ? d.refused(r.refusal())
                        : d.written(r.written().id().toString(), d.words() + " (version " + r.written().version() + ")");
            }
            if (result.action() != Action.REFUSED && result.write() != null && !(result.write() instanceof Decision.NewDevice)) {
                written.add(new Crosswalk.Written(result.record().key(), new Crosswalk.Entry(result.targetId(), result.patientId(), result.hash()),
                        result.action().name().toLowerCase(), result.words()));
            }
            done.add(result);
        }
        Crosswalk.recordAll(c, practice, principal.actor(), written);
        return done;
    }
}
