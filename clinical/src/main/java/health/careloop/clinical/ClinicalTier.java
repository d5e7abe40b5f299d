package health.careloop.clinical;

import health.careloop.clinical.alerts.AlertsApi;
import health.careloop.clinical.alerts.QueueChanges;
import health.careloop.clinical.complexity.ClosedMonths;
import health.careloop.clinical.evaluation.EvaluatorSettings;
import health.careloop.clinical.evaluation.EvaluatorVerticle;
import health.careloop.clinical.patients.PatientsAndPrograms;
import health.careloop.clinical.rules.ThresholdsApi;
import health.careloop.clinical.tasks.TasksApi;
import health.careloop.common.db.Database;
import health.careloop.common.audit.RecordOwner;
import health.careloop.common.db.SchemaMigrations;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The clinical tier: patients' records and programs (demographics, conditions, consent, enrolment, care plans) and
 * the rules that turn readings into alerts and CCM follow-up tasks. The launcher migrates its schema, mounts its API
 * and, when this process runs the clinical role, deploys its evaluator.
 */
public final class ClinicalTier {
    public static final String SCHEMA = "clinical";

    private final Database database;

    private ClinicalTier(Database database) {
        this.database = database;
    }

    /** Migrates the clinical schema (core and ingest must exist). Blocking. */
    public static ClinicalTier open(Database database) {
        SchemaMigrations.migrate(database.dataSource(), SCHEMA, List.of("classpath:db/clinical"), Map.of());
        return new ClinicalTier(database);
    }

    /** @param closedMonths billing's closed months (the launcher hands them over: billing depends on clinical, not the reverse) */
    public void mountApi(Router api, ClosedMonths closedMonths) {
        new PatientsAndPrograms(database.dataSource(), closedMonths).mount(api);
        new ThresholdsApi(database.dataSource()).mount(api);
        new AlertsApi(database.dataSource()).mount(api);
        new TasksApi(database.dataSource()).mount(api);
    }

    /** Whose record an id in a clinical route names (path parameter → owner), for the audit trail of refused calls. */
    public static Map<String, RecordOwner> auditedRecords() {
        return Map.of(
                "alertId", RecordOwner.byUuid("SELECT practice_id, patient_id FROM clinical.alert WHERE id = ?"),
                "taskId", RecordOwner.byUuid("SELECT practice_id, patient_id FROM clinical.task WHERE id = ?"),
                "conditionId", RecordOwner.byUuid("SELECT practice_id, patient_id FROM clinical.condition WHERE id = ?"),
                "consentId", RecordOwner.byUuid("SELECT practice_id, patient_id FROM clinical.consent WHERE id = ?"),
                "enrolmentId", RecordOwner.byUuid("SELECT practice_id, patient_id FROM clinical.enrolment WHERE id = ?"),
                "complexityId", RecordOwner.byUuid("SELECT practice_id, patient_id FROM clinical.ccm_complexity WHERE id = ?"),
                // A care plan version, as FHIR's CarePlan/{id} names it.
                "carePlanId", RecordOwner.byUuid("SELECT practice_id, patient_id FROM clinical.care_plan_version WHERE id = ?"));
    }

    /** Starts pushing changes of alerts and tasks to open pages ({@code GET /alerts/stream}); for processes that serve the API. */
    public QueueChanges queueChanges(Vertx vertx) {
        return QueueChanges.start(database.dataSource(), vertx);
    }

    /** The verticle that evaluates new readings into alerts and tasks and runs the scheduled checks; one per process. */
    public EvaluatorVerticle evaluator(MeterRegistry meters, Clock clock, Duration escalateCriticalAfter) {
        return new EvaluatorVerticle(database.dataSource(), EvaluatorSettings.defaults().withEscalateAfter(escalateCriticalAfter),
                meters, clock);
    }
}
