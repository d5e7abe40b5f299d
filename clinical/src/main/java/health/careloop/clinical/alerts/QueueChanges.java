package health.careloop.clinical.alerts;

import io.vertx.core.Vertx;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import health.careloop.common.retry.Backoff;

import java.time.Duration;

/**
 * Listens to PostgreSQL's {@code careloop_queue} channel (V24: a trigger on alert and task notifies the practice id at
 * commit) and publishes each practice id on the local event bus at {@link #ADDRESS}, where {@link QueueStream}s pick
 * it up. One listener per HTTP process, on its own thread and connection: a LISTEN must stay on one session, and a
 * pooled connection would be given back. A lost connection is re-opened with backoff; pages re-read the queue after
 * every reconnect of their own, so a notification missed meanwhile costs freshness, not correctness.
 */
public final class QueueChanges implements AutoCloseable {
    /** Event-bus address; the message body is the practice id as a string. */
    public static final String ADDRESS = "careloop.queue.changed";
    static final String CHANNEL = "careloop_queue";

    private static final Logger log = LoggerFactory.getLogger(QueueChanges.class);
    /** How long one wait for notifications blocks (a socket read, no query); bounds how long {@link #close} takes. */
    private static final int WAIT_MILLIS = 1_000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final Vertx vertx;
    private final Thread thread;
    private volatile boolean running = true;

    private QueueChanges(DataSource dataSource, Vertx vertx) {
        this.dataSource = dataSource;
        this.vertx = vertx;
        this.thread = new Thread(this::listen, "careloop-queue-changes");
        this.thread.setDaemon(true);
    }

    public static QueueChanges start(DataSource dataSource, Vertx vertx) {
        QueueChanges changes = new QueueChanges(dataSource, vertx);
        changes.thread.start();
        return changes;
    }

    private void listen() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), MAX_BACKOFF, false);
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                backoff.reset();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            vertx.eventBus().publish(ADDRESS, n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                long wait = backoff.nextMillis();
                log.warn("Queue change listener lost its database connection ({}); retrying in {} ms", e.getClass().getSimpleName(), wait);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(WAIT_MILLIS + 1_000);
    }
}
