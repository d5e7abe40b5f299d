package health.careloop.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A diagnostic for issue 19's stalled ingest transactions: samples pg_stat_activity every few milliseconds on its own
 * connection and counts what each busy server process was doing (its wait event, or on CPU when it waits for nothing),
 * per second of the phase and separately for statements that had already run longer than {@link #STALLED_MILLIS}, so
 * the report can say what a stalled insert waits on. The sampling itself takes a share of one core.
 */
final class WaitSampler implements AutoCloseable {
    static final int STALLED_MILLIS = 100;
    private static final String SAMPLE = """
            SELECT backend_type, coalesce(wait_event_type || ':' || wait_event, 'CPU'),
                   coalesce((extract(epoch FROM clock_timestamp() - query_start) * 1000)::int, 0), state
            FROM pg_stat_activity
            WHERE pid <> pg_backend_pid()
              AND ((datname = current_database() AND state = 'active')
                   OR backend_type IN ('walwriter', 'checkpointer', 'background writer'))""";

    private final Connection connection;
    private final Thread thread;
    private final long startMillis = System.currentTimeMillis();
    private final AtomicLong samples = new AtomicLong();
    /** "second|backend type|event" → samples; second -1 holds the statements stalled past STALLED_MILLIS. */
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    WaitSampler(BenchDatabase db, long everyMillis) throws SQLException {
        connection = db.connect();
        thread = new Thread(() -> {
            try (PreparedStatement ps = connection.prepareStatement(SAMPLE)) {
                while (running) {
                    int second = (int) ((System.currentTimeMillis() - startMillis) / 1000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String type = rs.getString(1);
                            String event = rs.getString(2);
                            boolean idleAux = !"client backend".equals(type) && (event.startsWith("Activity:") || !"active".equals(rs.getString(4)) && event.equals("CPU"));
                            if (idleAux) {
                                continue;  // the WAL writer or checkpointer between rounds: not busy
                            }
                            counts.merge(second + "|" + type + "|" + event, 1L, Long::sum);
                            if ("client backend".equals(type) && rs.getInt(3) > STALLED_MILLIS) {
                                counts.merge("-1|" + type + "|" + event, 1L, Long::sum);
                            }
                        }
                    }
                    samples.incrementAndGet();
                    Thread.sleep(everyMillis);
                }
            } catch (SQLException | InterruptedException e) {
                if (running) {
                    System.err.println("wait sampler: " + e.getMessage());
                }
            }
        }, "wait-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** What the stalled statements waited on, then each of the first {@code seconds} seconds' busy processes, as text. */
    String describe(int seconds) {
        StringBuilder out = new StringBuilder(String.format("%,d samples; statements running > %d ms: %s", samples.get(), STALLED_MILLIS,
                top("-1|")));
        for (int s = 0; s < seconds; s++) {
            out.append(String.format("; s%d: %s", s, top(s + "|")));
        }
        return out.toString();
    }

    private String top(String prefix) {
        Map<String, Long> bySlot = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                String[] parts = k.split("\\|", 3);
                bySlot.merge(parts[1].replace("client backend", "client").replace(" ", "-") + " " + parts[2], v, Long::sum);
            }
        });
        if (bySlot.isEmpty()) {
            return "none";
        }
        return bySlot.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    @Override
    public void close() throws SQLException {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
