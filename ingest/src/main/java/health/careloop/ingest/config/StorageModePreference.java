package health.careloop.ingest.config;

import java.util.Optional;

/** CARELOOP_STORAGE_MODE: use TimescaleDB when the server offers it (auto), insist on it, or force plain PostgreSQL. */
public enum StorageModePreference {
    AUTO, TIMESCALEDB, POSTGRES;

    public static Optional<StorageModePreference> byName(String name) {
        return switch (name.trim().toLowerCase()) {
            case "auto" -> Optional.of(AUTO);
            case "timescaledb", "timescale" -> Optional.of(TIMESCALEDB);
            case "postgres", "postgresql" -> Optional.of(POSTGRES);
            default -> Optional.empty();
        };
    }
}
