package health.careloop.clinical.complexity;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.UUID;

/**
 * Billing's answer to "is this practice's billing month closed?", handed to clinical by the launcher: billing owns the
 * closed months (and depends on clinical), so clinical's SQL cannot ask for them itself.
 */
@FunctionalInterface
public interface ClosedMonths {
    /** For a deployment without billing: no month is ever closed. */
    ClosedMonths NONE = (c, practiceId, month) -> false;

    /**
     * Whether the month is closed, asked on the caller's connection inside its transaction; the answer holds until that
     * transaction ends (a close of the same month waits for it), so a record written after "open" is read by the close.
     */
    boolean closedHoldingTheAnswer(Connection c, UUID practiceId, YearMonth month) throws SQLException;
}
