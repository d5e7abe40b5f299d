package health.careloop.clinical.patients;

import health.careloop.clinical.careplan.CarePlanApi;
import health.careloop.clinical.careplan.CarePlanCopies;
import health.careloop.clinical.complexity.ComplexityApi;
import health.careloop.clinical.complexity.ClosedMonths;
import health.careloop.clinical.complexity.ComplexityRecords;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.conditions.ConditionApi;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.consent.Consents;
import health.careloop.clinical.consent.Enrolments;
import health.careloop.clinical.consent.ProgramApi;
import health.careloop.clinical.consent.ProgramStatus;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.directory.Directory;
import io.vertx.ext.web.Router;

import javax.sql.DataSource;

/** The patients-and-programs part of the clinical tier (issue 4): its stores, the billing query and the APIs, wired once. */
public final class PatientsAndPrograms {
    private final PatientAccess access;
    private final PatientProfiles profiles;
    private final Conditions conditions;
    private final Consents consents;
    private final Enrolments enrolments;
    private final ProgramStatus programStatus;
    private final CarePlans carePlans;
    private final StaffAccounts staff;
    private final CarePlanCopies copies;
    private final ComplexityRecords complexity;

    /** @param closedMonths billing's closed months, which complex CCM's records may no longer change */
    public PatientsAndPrograms(DataSource dataSource, ClosedMonths closedMonths) {
        this.access = new PatientAccess(new Directory(dataSource));
        this.profiles = new PatientProfiles(dataSource);
        this.conditions = new Conditions(dataSource);
        this.consents = new Consents(dataSource);
        this.staff = new StaffAccounts(dataSource);
        this.enrolments = new Enrolments(dataSource, consents, conditions, staff);
        this.programStatus = new ProgramStatus(conditions, consents, enrolments, staff);
        this.carePlans = new CarePlans(dataSource);
        this.copies = new CarePlanCopies(dataSource);
        this.complexity = new ComplexityRecords(dataSource, closedMonths);
    }

    /** For the billing tier: consented, enrolled, eligible on a day (blocking). */
    public ProgramStatus programStatus() {
        return programStatus;
    }

    public Conditions conditions() {
        return conditions;
    }

    public PatientProfiles profiles() {
        return profiles;
    }

    public CarePlans carePlans() {
        return carePlans;
    }

    public void mount(Router api) {
        new PatientApi(access, profiles, conditions, consents, enrolments, carePlans, staff).mount(api);
        new ConditionApi(access, conditions).mount(api);
        new ProgramApi(access, consents, enrolments, programStatus, staff).mount(api);
        new CarePlanApi(access, carePlans, conditions, profiles, copies).mount(api);
        new ComplexityApi(access, complexity).mount(api);
    }
}
