package health.careloop.simulator.modes;

import health.careloop.simulator.faults.OutgoingMessage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the broker acknowledged, by what the receiving side should do with it, so a test can compare with what
 * ingest stored and rejected. Counts are readings unless named messages or batches.
 */
public final class SendCounts {
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong duplicate = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong implausible = new AtomicLong();
    private final AtomicLong futureSkewed = new AtomicLong();
    private final AtomicLong skewedAccepted = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchedReadings = new AtomicLong();
    private final AtomicLong failedMessages = new AtomicLong();
    private final AtomicLong failedReadings = new AtomicLong();
    private final AtomicLong withheld = new AtomicLong();

    /**
     * @param future for a SKEWED message, whether it was too far in the future when sent
     */
    public void acknowledged(OutgoingMessage message, boolean future) {
        messages.incrementAndGet();
        int n = message.readings();
        switch (message.kind()) {
            case READING -> valid.addAndGet(n);
            case DUPLICATE -> duplicate.addAndGet(n);
            case BATCH -> {
                valid.addAndGet(n);
                batches.incrementAndGet();
                batchedReadings.addAndGet(n);
            }
            case MALFORMED -> malformed.addAndGet(n);
            case IMPLAUSIBLE -> implausible.addAndGet(n);
            case SKEWED -> {
                if (future) {
                    futureSkewed.addAndGet(n);
                } else {
                    // Stored, with the wrong time: nothing on the server can tell.
                    valid.addAndGet(n);
                    skewedAccepted.addAndGet(n);
                }
            }
        }
    }

    public void failed(OutgoingMessage message) {
        failedMessages.incrementAndGet();
        failedReadings.addAndGet(message.readings());
    }

    /** A skewed reading so close to the 5-minute limit that the server's verdict cannot be predicted. */
    public void withheld(OutgoingMessage message) {
        withheld.addAndGet(message.readings());
    }

    public SendReport snapshot() {
        return new SendReport(messages.get(), valid.get(), duplicate.get(), malformed.get(), implausible.get(),
                futureSkewed.get(), skewedAccepted.get(), batches.get(), batchedReadings.get(),
                failedMessages.get(), failedReadings.get(), withheld.get());
    }

    /**
     * @param valid          readings the server should store (single, batched and skewed-but-not-future)
     * @param duplicate      re-sent readings the server should count as duplicates
     * @param malformed      readings the server should dead-letter as breaking the contract
     * @param implausible    readings the server should dead-letter as implausible
     * @param futureSkewed   readings the server should dead-letter as more than 5 minutes in the future
     * @param skewedAccepted of {@code valid}, readings from a skewed clock that were not yet in the future
     */
    public record SendReport(long messages, long valid, long duplicate, long malformed, long implausible,
                             long futureSkewed, long skewedAccepted, long batches, long batchedReadings,
                             long failedMessages, long failedReadings, long withheld) {

        public long rejected() {
            return malformed + implausible + futureSkewed;
        }

        public String describe() {
            return String.format(
                    "acknowledged messages %d: readings valid %d (of which in %d batches %d, skewed but accepted %d), "
                            + "duplicate %d, malformed %d, implausible %d, future-skewed %d; failed messages %d "
                            + "(readings %d), withheld %d",
                    messages, valid, batches, batchedReadings, skewedAccepted, duplicate, malformed, implausible,
                    futureSkewed, failedMessages, failedReadings, withheld);
        }
    }
}
