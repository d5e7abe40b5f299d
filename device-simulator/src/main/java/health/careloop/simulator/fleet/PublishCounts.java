package health.careloop.simulator.fleet;

import java.util.concurrent.atomic.AtomicLong;

/** Publishes of the fleet: each sent one ends acknowledged (PUBACK/PUBCOMP), failed, or still pending at the end. */
final class PublishCounts {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    void sent() {
        sent.incrementAndGet();
    }

    void acknowledged() {
        acknowledged.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    long sentTotal() {
        return sent.get();
    }

    long acknowledgedTotal() {
        return acknowledged.get();
    }

    long failedTotal() {
        return failed.get();
    }

    long pending() {
        return sent.get() - acknowledged.get() - failed.get();
    }
}
