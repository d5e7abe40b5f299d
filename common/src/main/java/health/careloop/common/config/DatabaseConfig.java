package health.careloop.common.config;

/** An external PostgreSQL/TimescaleDB (CARELOOP_DB_*). The password never appears in toString. */
public record DatabaseConfig(String jdbcUrl, String user, String password, int poolSize) {
    @Override
    public String toString() {
        return "DatabaseConfig[" + jdbcUrl + " as " + user + ", pool " + poolSize + "]";
    }
}
