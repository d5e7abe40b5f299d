package health.careloop.ingest.storage;

/** How readings are stored: a TimescaleDB hypertable, or a natively partitioned table on plain PostgreSQL. */
public enum StorageMode {
    TIMESCALEDB("timescaledb"), POSTGRES("postgres");

    private final String folder;

    StorageMode(String folder) {
        this.folder = folder;
    }

    /** The resource folder holding this mode's migrations and SQL. */
    public String folder() {
        return folder;
    }
}
