package health.careloop.common.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Runs one tier's Flyway migrations in that tier's own schema, with its own history table, so tiers evolve
 * independently (DESIGN.md: each tier owns its tables).
 */
public final class SchemaMigrations {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {
    }

    public static MigrateResult migrate(DataSource dataSource, String schema, List<String> locations, Map<String, String> placeholders) {
        try (Connection connection = dataSource.getConnection()) {
            return migrate(new SharedConnectionDataSource(connection), schema, locations, placeholders, true);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to migrate schema " + schema + ": " + e.getMessage(), e);
        }
    }

    private static MigrateResult migrate(DataSource shared, String schema, List<String> locations, Map<String, String> placeholders,
                                         boolean sharedConnection) {
        MigrateResult result = Flyway.configure()
                .dataSource(shared)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations(locations.toArray(String[]::new))
                .placeholders(placeholders)
                .table("flyway_schema_history")
                .load()
                .migrate();
        log.info("Schema {}: {} migration(s) applied, now at version {}", schema, result.migrationsExecuted,
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion);
        return result;
    }
}
