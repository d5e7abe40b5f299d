package health.careloop.fhir;

import health.careloop.common.db.Database;
import health.careloop.common.db.SchemaMigrations;
import health.careloop.common.audit.RecordOwner;
import health.careloop.billing.BillingTier;
import health.careloop.fhir.panel.PanelImport;
import health.careloop.fhir.panel.PanelImportApi;
import health.careloop.fhir.r4.FhirReadApi;
import health.careloop.fhir.r4.ResourceIds;
import health.careloop.fhir.summary.MonthlySummaries;
import health.careloop.fhir.summary.SummaryApi;
import health.careloop.ingest.IngestTier;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.fhir.r4.PatientRecords;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Map;

/**
 * HL7 FHIR R4 (issue 17): the read-only API under {@code /fhir/r4}, the panel import and the monthly summaries. It owns
 * the schema {@code fhir} (the import's crosswalk) and reads and writes every other tier's records through that tier's
 * code. The launcher migrates its schema after the others and mounts its routers.
 */
public final class FhirTier {
    public static final String SCHEMA = "fhir";

    private final Database database;
    private final FhirReadApi readApi;
    private final SummaryApi summaryApi;

    private FhirTier(Database database, BillingTier billing) {
        this.database = database;
        PatientRecords records = new PatientRecords(database.dataSource());
        this.readApi = new FhirReadApi(records);
        this.summaryApi = new SummaryApi(new MonthlySummaries(database.dataSource(), billing.ledger(), billing.monthClose()), records,
                billing.monthClose());
    }

    /** Migrates the fhir schema (core, ingest, clinical and billing must exist). Blocking. */
    public static FhirTier open(Database database, BillingTier billing) {
        SchemaMigrations.migrate(database.dataSource(), SCHEMA, List.of("classpath:db/fhir"), Map.of());
        return new FhirTier(database, billing);
    }

    /** The routes of {@code /api/v1}: the panel import ({@link PanelImportApi}) and the monthly summaries' PDF and ZIP. */
    public void mountApi(Router api) {
        new PanelImportApi(new PanelImport(database.dataSource())).mount(api);
        summaryApi.mount(api);
    }

    /** Routes of {@code /fhir/r4} served before authentication: the CapabilityStatement. */
    public void mountPublicR4(Router r4) {
        readApi.mountPublic(r4);
    }

    /** The authenticated routes of {@code /fhir/r4}. */
    public void mountR4(Router r4) {
        summaryApi.mountR4(r4);
        readApi.mount(r4);
    }

    /**
     * Whose record an id in a FHIR route names, for the audit trail of refused calls: an Observation's id holds its
     * device, whose practice ingest knows, or for a reading entered by a person its patient (Patient, Condition, Consent,
     * CarePlan and Device ids are the owners' own).
     */
    public static Map<String, RecordOwner> auditedRecords() {
        RecordOwner device = IngestTier.auditedRecords().get("deviceId");
        RecordOwner patient = health.careloop.common.directory.Directory.auditedRecords().get("patientId");
        return Map.of("observationId", (c, id) -> {
            var key = ResourceIds.observationKey(id);
            if (key.isEmpty()) {
                return java.util.Optional.empty();
            }
            String deviceId = key.get().deviceId();
            return deviceId.startsWith(ReadingQueries.ENTERED_PREFIX) ? patient.find(c, deviceId.substring(ReadingQueries.ENTERED_PREFIX.length()))
                    : device.find(c, deviceId);
        });
    }

    public Database database() {
        return database;
    }
}
