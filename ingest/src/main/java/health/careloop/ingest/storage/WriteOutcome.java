package health.careloop.ingest.storage;

import health.careloop.ingest.payload.RejectReason;

import java.util.EnumMap;
import java.util.Map;

/** What one committed batch did: readings newly stored, duplicates ignored, and dead letters by reason. */
public final class WriteOutcome {
    private int stored;
    private int duplicates;
    private final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);

    void addStored(int count) {
        stored += count;
    }

    void addDuplicates(int count) {
        duplicates += count;
    }

    void addRejected(RejectReason reason) {
        rejected.merge(reason, 1, Integer::sum);
    }

    public void add(WriteOutcome other) {
        stored += other.stored;
        duplicates += other.duplicates;
        other.rejected.forEach((reason, count) -> rejected.merge(reason, count, Integer::sum));
    }

    public int stored() {
        return stored;
    }

    public int duplicates() {
        return duplicates;
    }

    public Map<RejectReason, Integer> rejected() {
        return rejected;
    }

    @Override
    public String toString() {
        return "stored=" + stored + " duplicates=" + duplicates + " rejected=" + rejected;
    }
}
