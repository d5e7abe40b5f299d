package health.careloop.clinical;

import health.careloop.common.db.Database;
import health.careloop.common.db.SchemaMigrations;
import io.vertx.ext.web.Router;

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

    public void mountApi(Router api) {
    }

    Database database() {
        return database;
    }
}
