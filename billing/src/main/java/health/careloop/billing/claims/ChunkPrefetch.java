package health.careloop.billing.claims;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the next chunk of patient-months while the caller writes the current one: the close spent about as long
 * waiting for its reads as for its COPYs (bench month-close). The reader has its own connection in a read-only
 * REPEATABLE READ transaction begun after the caller took the month's lock, so it sees one state of the inputs. At most
 * one chunk waits in the hand-over queue: memory stays bounded by about three chunks.
 */
final class ChunkPrefetch {
    private static final Object END = new Object();

    private ChunkPrefetch() {
    }

    static void forEachChunk(DataSource dataSource, PracticeMonthLoader loader, UUID practiceId, ZoneId zone, YearMonth month, LocalDate asOf,
                             PracticeMonthLoader.ChunkHandler handler) throws SQLException {
        BlockingQueue<Object> handOver = new ArrayBlockingQueue<>(1);
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "month-close-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> reading = reader.submit(() -> {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    c.setReadOnly(true);
                    try {
                        loader.forEachChunk(c, practiceId, zone, month, asOf, chunk -> put(handOver, chunk));
                    } finally {
                        c.rollback();
                        c.setReadOnly(false);
                        c.setAutoCommit(true);
                    }
                }
                put(handOver, END);
                return null;
            });
            while (true) {
                Object next = take(handOver, reading);
                if (next == END) {
                    break;
                }
                @SuppressWarnings("unchecked")
                List<PatientMonth> chunk = (List<PatientMonth>) next;
                handler.accept(chunk);
            }
            get(reading);
        } finally {
            reader.shutdownNow();
        }
    }

    private static void put(BlockingQueue<Object> queue, Object item) throws SQLException {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("month close reader interrupted", e);
        }
    }

    /** The next item, or the reader's failure as soon as it fails. */
    private static Object take(BlockingQueue<Object> queue, Future<?> reading) throws SQLException {
        try {
            while (true) {
                Object item = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
                if (reading.isDone()) {
                    get(reading); // throws its failure
                    Object last = queue.poll();
                    if (last != null) {
                        return last;
                    }
                    throw new IllegalStateException("month close reader ended without its end marker");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("month close interrupted", e);
        }
    }

    private static void get(Future<?> reading) throws SQLException {
        try {
            reading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("month close interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
