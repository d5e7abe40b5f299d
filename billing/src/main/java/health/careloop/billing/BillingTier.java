package health.careloop.billing;

import health.careloop.billing.acks.AcknowledgementImport;
import health.careloop.billing.acks.ClaimStatuses;
import health.careloop.billing.api.AcknowledgementApi;
import health.careloop.billing.api.BillingProfileApi;
import health.careloop.billing.api.BillingSettingsApi;
import health.careloop.billing.api.ClaimExportApi;
import health.careloop.billing.api.CorrectionsApi;
import health.careloop.billing.corrections.ClaimCorrections;
import health.careloop.billing.api.EncountersApi;
import health.careloop.billing.api.LedgerApi;
import health.careloop.billing.api.MonthCloseApi;
import health.careloop.billing.api.ReadinessApi;
import health.careloop.billing.api.WorklistApi;
import health.careloop.billing.worklist.Worklist;
import health.careloop.billing.claims.BillingSettings;
import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.claims.MonthRules;
import health.careloop.billing.claims.PatientMonthLoader;
import health.careloop.billing.claims.PracticeMonthLoader;
import health.careloop.billing.datadays.DataDays;
import health.careloop.billing.encounters.InpatientStays;
import health.careloop.billing.encounters.Visits;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.billing.profile.BillingProfiles;
import health.careloop.billing.settings.PracticeBillingSettings;
import health.careloop.billing.ledger.BillingMonths;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.complexity.ClosedMonths;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.consent.Consents;
import health.careloop.clinical.consent.Enrolments;
import health.careloop.clinical.consent.ProgramStatus;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.db.Database;
import health.careloop.common.db.SchemaMigrations;
import health.careloop.common.directory.Directory;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.storage.ReadingQueries;
import io.vertx.ext.web.Router;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The billing tier: the minute ledger, data days, the rules engine, month close and exports. The launcher migrates its
 * schema (after core, ingest and clinical) and mounts its API.
 */
public final class BillingTier {
    public static final String SCHEMA = "billing";

    private final TimeLedger ledger;
    private final MonthClose monthClose;
    private final Directory directory;
    private final BillingProfiles billingProfiles;
    private final PatientProfiles patientProfiles;
    private final StaffAccounts staff;
    private final Clock clock;
    private final Worklist worklist;
    private final Visits visits;
    private final InpatientStays stays;
    private final PracticeBillingSettings practiceSettings;
    private final ClaimCorrections corrections;
    private final ClaimStatuses claimStatuses;
    private final AcknowledgementImport acknowledgements;

    private BillingTier(DataSource dataSource, BillingSettings settings, Clock clock) {
        this.clock = clock;
        this.directory = new Directory(dataSource);
        this.staff = new StaffAccounts(dataSource);
        this.billingProfiles = new BillingProfiles(dataSource);
        this.patientProfiles = new PatientProfiles(dataSource);
        Conditions conditions = new Conditions(dataSource);
        Consents consents = new Consents(dataSource);
        Enrolments enrolments = new Enrolments(dataSource, consents, conditions, staff);
        ProgramStatus status = new ProgramStatus(conditions, consents, enrolments, staff);
        this.practiceSettings = new PracticeBillingSettings(dataSource, settings);
        // The ledger refuses messaging by the practice's own setting for the entry's month, as the close counts it.
        this.ledger = new TimeLedger(dataSource, directory, staff, status, practiceSettings::messagingIsInteractive, clock);
        DataDays dataDays = new DataDays(new ReadingQueries(dataSource), new DeviceRegistry(dataSource));
        MonthRules rules = new MonthRules(settings);
        this.visits = new Visits(dataSource, staff, clock);
        this.stays = new InpatientStays(dataSource, clock);
        PatientMonthLoader loader = new PatientMonthLoader(dataSource, conditions, consents, enrolments, new CarePlans(dataSource), staff, dataDays,
                ledger, rules, visits, stays);
        this.monthClose = new MonthClose(dataSource, loader, new PracticeMonthLoader(rules, PracticeMonthLoader.DEFAULT_CHUNK), practiceSettings, dataDays,
                ledger, clock);
        this.worklist = new Worklist(dataSource, monthClose);
        this.claimStatuses = new ClaimStatuses(dataSource);
        this.acknowledgements = new AcknowledgementImport(dataSource);
        // A replacement or void names the claim by the payer's claim number, known from a 277CA or entered by a biller (acks).
        this.corrections = new ClaimCorrections(dataSource, monthClose, ledger, ClaimStatuses::payerClaimControlNumber);
    }

    /** Migrates the billing schema (core, ingest and clinical must exist) with the default rule settings. Blocking. */
    public static BillingTier open(Database database) {
        return open(database.dataSource(), BillingSettings.defaults(), Clock.systemUTC());
    }

    public static BillingTier open(DataSource dataSource, BillingSettings settings, Clock clock) {
        SchemaMigrations.migrate(dataSource, SCHEMA, List.of("classpath:db/billing"), Map.of());
        return new BillingTier(dataSource, settings, clock);
    }

    public void mountApi(Router api) {
        // One class per job, mounted in the order the routes always had.
        new LedgerApi(ledger, directory, staff).mount(api);
        new ReadinessApi(monthClose, ledger, directory, clock).mount(api);
        new MonthCloseApi(monthClose, directory).mount(api);
        new ClaimExportApi(monthClose, ledger, directory, billingProfiles, patientProfiles, staff, practiceSettings, corrections, claimStatuses).mount(api);
        new CorrectionsApi(corrections, ledger, directory, billingProfiles, patientProfiles, staff, practiceSettings).mount(api);
        new BillingProfileApi(billingProfiles, directory).mount(api);
        new EncountersApi(visits, stays, directory, ledger).mount(api);
        new WorklistApi(worklist, ledger, clock).mount(api);
        new BillingSettingsApi(practiceSettings, directory).mount(api);
        new AcknowledgementApi(acknowledgements, claimStatuses, directory).mount(api);
    }

    /** Whose record an id in a billing route names (path parameter → owner), for the audit trail of refused calls. */
    public static Map<String, health.careloop.common.audit.RecordOwner> auditedRecords() {
        return Map.of(
                "entryId", health.careloop.common.audit.RecordOwner.byUuid("SELECT practice_id, patient_id FROM billing.time_entry WHERE id = ?"),
                "stayId", health.careloop.common.audit.RecordOwner.byUuid("SELECT practice_id, patient_id FROM billing.inpatient_stay WHERE id = ?"));
    }

    /**
     * Closed months for clinical's records that a close reads (complex CCM's decision making): the month's lock taken
     * shared, as the ledger's writes take it, so a close waits for the writer's transaction and the writer sees a close.
     */
    public ClosedMonths closedMonths() {
        return (c, practiceId, month) -> {
            BillingMonths.lockShared(c, practiceId, month);
            return BillingMonths.isClosed(c, practiceId, month);
        };
    }

    public TimeLedger ledger() {
        return ledger;
    }

    public PracticeBillingSettings practiceSettings() {
        return practiceSettings;
    }

    /** The claims' statuses and payer claim numbers (billing V10), for corrections and tests. */
    public ClaimStatuses claimStatuses() {
        return claimStatuses;
    }

    public ClaimCorrections corrections() {
        return corrections;
    }

    public MonthClose monthClose() {
        return monthClose;
    }

    public Visits visits() {
        return visits;
    }

    public InpatientStays stays() {
        return stays;
    }
}
