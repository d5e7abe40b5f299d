package health.careloop.common.db;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Database errors as they may be logged. PostgreSQL's message and detail quote row values ("Failing row contains
 * (…, 'Edith', 'Demoford', '1941-03-17', …)"), and the driver's batch errors quote the statement with its parameters,
 * so neither ever reaches a log: only the SQLState and the names the server reports (constraint, table, column) do.
 * An exception with an SQLException anywhere in its chain loses every message of the chain (a wrapper often repeats
 * its cause's message); the stack frames stay, so the log still says where it happened.
 */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    /** What to hand a logger: the exception itself when no database error is in its chain, else a redacted copy. */
    public static Throwable loggable(Throwable failure) {
        if (failure == null || !hasSqlCause(failure)) {
            return failure;
        }
        return redact(failure, new IdentityHashMap<>());
    }

    /** One line for a log message: the type, and for a database error its SQLState and the names the server gave. */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        SQLException sql = firstSql(failure);
        if (sql == null) {
            return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        }
        return sqlSummary(sql);
    }

    private static boolean hasSqlCause(Throwable failure) {
        return firstSql(failure) != null;
    }

    private static SQLException firstSql(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static Redacted redact(Throwable t, Map<Throwable, Redacted> done) {
        Redacted existing = done.get(t);
        if (existing != null) {
            return existing;
        }
        String text = t instanceof SQLException sql ? sqlSummary(sql) : t.getClass().getName() + " (message withheld: a database error is in its causes)";
        Redacted copy = new Redacted(text);
        copy.setStackTrace(t.getStackTrace());
        done.put(t, copy);
        Throwable cause = t.getCause();
        if (cause != null && cause != t) {
            copy.initCause(redact(cause, done));
        }
        return copy;
    }

    private static String sqlSummary(SQLException sql) {
        StringBuilder text = new StringBuilder(sql.getClass().getName()).append(": SQLState ").append(sql.getSQLState());
        if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage server = p.getServerErrorMessage();
            append(text, "constraint", server.getConstraint());
            append(text, "table", server.getSchema() == null || server.getTable() == null ? server.getTable() : server.getSchema() + "." + server.getTable());
            append(text, "column", server.getColumn());
        }
        SQLException next = sql.getNextException();
        if (next != null && next != sql) {
            text.append("; next: SQLState ").append(next.getSQLState());
            if (next instanceof PSQLException p && p.getServerErrorMessage() != null) {
                append(text, "constraint", p.getServerErrorMessage().getConstraint());
            }
        }
        return text.toString();
    }

    private static void append(StringBuilder text, String what, String value) {
        if (value != null && !value.isEmpty()) {
            text.append(", ").append(what).append(' ').append(value);
        }
    }

    /** Stands in for an exception whose message may quote data; prints as the original type with the safe text. */
    static final class Redacted extends RuntimeException {
        Redacted(String text) {
            super(text);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
