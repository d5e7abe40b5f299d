package health.careloop.billing.claims;

import java.sql.SQLException;
import java.time.YearMonth;
import java.util.UUID;

/** The rules a practice's billing month is evaluated with: its settings in effect on the month's first day, and its fees. */
@FunctionalInterface
public interface PracticeRules {
    MonthRules forMonth(UUID practiceId, YearMonth month) throws SQLException;

    /** The same rules for every practice and month (tests, benchmarks). */
    static PracticeRules fixed(MonthRules rules) {
        return (practiceId, month) -> rules;
    }
}
