package health.careloop.simulator.physiology;

import java.util.SplittableRandom;

/**
 * Independent random streams keyed by (seed, patient, day, device, ...), so a day's readings are the same whatever
 * window they are generated in: a backfill and a later live run of the same seed agree.
 */
public final class DerivedSeed {
    private DerivedSeed() {
    }

    public static long of(long seed, long... keys) {
        long h = mix(seed);
        for (long k : keys) {
            h = mix(h ^ (k + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    public static SplittableRandom random(long seed, long... keys) {
        return new SplittableRandom(of(seed, keys));
    }

    // Stafford's variant 13 of the MurmurHash3 finaliser, as SplittableRandom uses.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
