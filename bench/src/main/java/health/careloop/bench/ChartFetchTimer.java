package health.careloop.bench;

import health.careloop.ingest.storage.ReadingQueries;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Times the patient chart's read, {@link ReadingQueries#readings} over the last 90 days (what GET
 * /patients/{id}/readings runs), for a fixed sample of patients, one at a time on one connection; and the round trip
 * of {@code SELECT 1} on the same connection, the floor under any query there.
 */
final class ChartFetchTimer {
    static final Duration CHART_WINDOW = Duration.ofDays(90);
    private static final int LIMIT = 10_000;
    private static final int WARM_UP = 20;

    /** One phase's figures: the fetch, the rows it returned on average, and the round-trip floor. */
    record Timing(Percentiles fetch, double rowsPerFetch, Percentiles floor) {
    }

    private final List<UUID> sample;
    private final List<UUID> warmUp;
    private final Instant to;

    ChartFetchTimer(List<UUID> sample, List<UUID> warmUp, Instant to) {
        this.sample = sample;
        this.warmUp = warmUp.subList(0, Math.min(WARM_UP, warmUp.size()));
        this.to = to;
    }

    Timing time(Connection c) throws SQLException {
        Instant from = to.minus(CHART_WINDOW);
        for (UUID patient : warmUp) {
            ReadingQueries.readings(c, patient, from, to, null, LIMIT);
        }
        double[] fetch = new double[sample.size()];
        double[] floor = new double[sample.size()];
        long rows = 0;
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < sample.size(); i++) {
                long t0 = System.nanoTime();
                rows += ReadingQueries.readings(c, sample.get(i), from, to, null, LIMIT).size();
                fetch[i] = (System.nanoTime() - t0) / 1e6;
                long t1 = System.nanoTime();
                try (ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
                floor[i] = (System.nanoTime() - t1) / 1e6;
            }
        }
        return new Timing(Percentiles.of(fetch), (double) rows / sample.size(), Percentiles.of(floor));
    }
}
