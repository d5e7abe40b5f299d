package health.careloop.simulator.modes;

import java.util.Arrays;

/** Publish latencies in nanoseconds; a sorted array gives exact percentiles for the sizes a load run produces. */
public final class LatencySamples {
    private long[] samples = new long[1024];
    private int size;

    public synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    public synchronized void addAll(LatencySamples other) {
        long[] theirs = other.toArray();
        for (long s : theirs) {
            add(s);
        }
    }

    public synchronized long[] toArray() {
        return Arrays.copyOf(samples, size);
    }

    /** Percentiles in milliseconds, nearest-rank. */
    public Percentiles percentiles() {
        long[] sorted = toArray();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    private static double rank(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    public record Percentiles(int count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }
}
