package health.careloop.bench;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sees when rows become visible: a statement trigger on the watched table sends NOTIFY with the transaction id, and
 * PostgreSQL delivers a notification only when (and right after) that transaction commits. The time a notification
 * arrives here is the commit time of every row with that xmin, so publish → committed is that time minus the
 * reading's measuredAt (the publisher's clock on the same machine). The trigger is dropped on close.
 */
final class CommitWatcher implements AutoCloseable {
    private final BenchDatabase database;
    private final String table;
    private final String trigger;
    private final Connection listener;
    private final Map<Long, Long> commitMillisByXid = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    CommitWatcher(BenchDatabase database, String table, String channel) throws SQLException {
        this.database = database;
        this.table = table;
        this.trigger = channel + "_notify";
        database.execute("""
                CREATE OR REPLACE FUNCTION public.bench_notify_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify(TG_ARGV[0], (txid_current() % 4294967296)::text);
                    RETURN NULL;
                END $$""",
                "CREATE TRIGGER " + trigger + " AFTER INSERT ON " + table
                        + " FOR EACH STATEMENT EXECUTE FUNCTION public.bench_notify_commit('" + channel + "')");
        listener = database.connect();
        try (Statement s = listener.createStatement()) {
            s.execute("LISTEN " + channel);
        }
        PGConnection pg = listener.unwrap(PGConnection.class);
        thread = new Thread(() -> {
            while (running) {
                try {
                    PGNotification[] notifications = pg.getNotifications(200);
                    long now = System.currentTimeMillis();
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            commitMillisByXid.putIfAbsent(Long.parseLong(n.getParameter()), now);
                        }
                    }
                } catch (SQLException e) {
                    if (running) {
                        System.err.println("commit watcher: " + e.getMessage());
                    }
                    return;
                }
            }
        }, "commit-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** When the transaction became visible (epoch ms), or null if no notification came. */
    Long commitMillis(long xid) {
        return commitMillisByXid.get(xid);
    }

    @Override
    public void close() throws SQLException, InterruptedException {
        running = false;
        thread.join(1000);
        listener.close();
        database.execute("DROP TRIGGER IF EXISTS " + trigger + " ON " + table);
    }
}
