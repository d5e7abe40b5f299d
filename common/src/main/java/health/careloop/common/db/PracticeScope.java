package health.careloop.common.db;

import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The practice whose staff member the current thread works for. While set, every connection this process hands out
 * runs as the database role {@value #ROLE} with {@code careloop.practice_id} set, so PostgreSQL's row-level security
 * shows and accepts only that practice's rows, whatever the SQL asks for (see {@link PracticeIsolation}). Unset means
 * the process's own work (ingest, the evaluator, the API token), which sees every practice.
 */
public final class PracticeScope {
    public static final String ROLE = "careloop_practice_staff";
    private static final ThreadLocal<UUID> CURRENT = new ThreadLocal<>();

    private PracticeScope() {
    }

    /** Runs the work with connections confined to the practice; a null practice runs it unconfined. */
    public static <T> T call(UUID practice, Callable<T> work) throws Exception {
        UUID outer = CURRENT.get();
        CURRENT.set(practice);
        try {
            return work.call();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /**
     * Runs a batch job the caller has already been authorised for, for one practice it names in every statement,
     * outside row-level security: PostgreSQL refuses COPY on a table with row-level security, and the month close
     * writes its claim lines with COPY.
     */
    public static <T> T batchForPractice(Callable<T> work) throws Exception {
        return call(null, work);
    }

    static UUID current() {
        return CURRENT.get();
    }
}
