package health.careloop.fhir.r4;

import health.careloop.clinical.careplan.CarePlanVersion;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.consent.Consents;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.ingest.devices.DeviceRegistry;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One patient's record as FHIR resources, read through the owning tiers' code (clinical's stores, ingest's device
 * registry, common's directory). Blocking JDBC; the caller runs it in the caller's practice scope.
 */
public final class PatientRecords {
    private final DataSource dataSource;
    private final Directory directory;
    private final PatientProfiles profiles;
    private final Conditions conditions;
    private final Consents consents;
    private final CarePlans carePlans;
    private final DeviceRegistry devices;

    public PatientRecords(DataSource dataSource) {
        this.dataSource = dataSource;
        this.directory = new Directory(dataSource);
        this.profiles = new PatientProfiles(dataSource);
        this.conditions = new Conditions(dataSource);
        this.consents = new Consents(dataSource);
        this.carePlans = new CarePlans(dataSource);
        this.devices = new DeviceRegistry(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Directory directory() {
        return directory;
    }

    /** The patient if the caller may see it; otherwise (or unknown) 404 naming the resource as asked for. */
    public Patient visible(Principal principal, UUID patientId) throws SQLException {
        Patient patient = directory.patient(patientId).orElseThrow(() -> notFound("Patient", patientId.toString()));
        if (!principal.canSee(patient.practiceId())) {
            throw notFound("Patient", patientId.toString());
        }
        return patient;
    }

    public ZoneId zone(UUID practiceId) throws SQLException {
        return directory.practice(practiceId).map(p -> p.timeZone()).orElse(ZoneId.of("UTC"));
    }

    public org.hl7.fhir.r4.model.Patient patient(Patient patient) throws SQLException {
        return PatientResources.of(patient, profiles.find(patient.id()).orElse(null));
    }

    public PatientProfiles profiles() {
        return profiles;
    }

    public List<Condition> conditions(UUID patientId) throws SQLException {
        return conditions.of(patientId).stream().map(ConditionResources::of).toList();
    }

    public List<Consent> consents(UUID patientId) throws SQLException {
        return consents.of(patientId).stream().map(ConsentResources::of).toList();
    }

    /** Every version, oldest first: each replaces the one before, the newest is active. */
    public List<CarePlan> carePlans(UUID patientId) throws SQLException {
        List<CarePlanVersion> newestFirst = carePlans.versions(patientId);
        List<CarePlan> result = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            String previous = i + 1 < newestFirst.size() ? newestFirst.get(i + 1).id().toString() : null;
            result.add(CarePlanResources.of(newestFirst.get(i), i == 0, previous));
        }
        return result;
    }

    public List<Device> devices(UUID patientId) throws SQLException {
        Instant now = Instant.now();
        return devices.everAssignedTo(patientId).stream().map(d -> DeviceResources.of(d, now)).toList();
    }

    public Conditions conditionStore() {
        return conditions;
    }

    public Consents consentStore() {
        return consents;
    }

    public CarePlans carePlanStore() {
        return carePlans;
    }

    public DeviceRegistry deviceRegistry() {
        return devices;
    }

    public static ApiException notFound(String type, String id) {
        return new ApiException(404, "not_found", "No " + type + "/" + id + ".");
    }
}
