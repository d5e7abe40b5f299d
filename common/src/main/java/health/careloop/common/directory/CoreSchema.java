package health.careloop.common.directory;

import health.careloop.common.db.SchemaMigrations;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

/** The core schema (practices, patient identities, audit trail) that every tier's schema refers to; migrate it first. */
public final class CoreSchema {
    private CoreSchema() {
    }

    public static void migrate(DataSource dataSource) {
        SchemaMigrations.migrate(dataSource, "core", List.of("classpath:db/core"), Map.of());
    }
}
