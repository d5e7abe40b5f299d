package health.careloop.billing.ledger;

import java.sql.SQLException;
import java.time.YearMonth;
import java.util.UUID;

/**
 * Whether a practice counts real-time secure messaging as the interactive communication of 99457/99470 in a billing
 * month: billing-rules.md 1.4 DISPUTED, the practice setting {@code messagingIsInteractive} in effect on the month's
 * first day (section 8). The ledger asks it so that it refuses messaging exactly when the close would not count it.
 */
@FunctionalInterface
public interface MessagingPolicy {
    boolean messagingIsInteractive(UUID practiceId, YearMonth month) throws SQLException;

    /** The same answer for every practice and month (tests). */
    static MessagingPolicy fixed(boolean allowed) {
        return (practiceId, month) -> allowed;
    }
}
