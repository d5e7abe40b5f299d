package health.careloop.billing.claims;

import health.careloop.billing.datadays.DataDays;
import health.careloop.billing.ledger.BillingMonths;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Month close per practice (DESIGN.md invariant 5): under the month's exclusive lock (ledger writes of that month wait),
 * evaluates every patient, stores the lines and the reasons, and marks the month closed, in one transaction. A second
 * close finds the month closed and returns what was stored: idempotent, and the unique constraints make a duplicate line
 * impossible even so. Blocking JDBC.
 */
public final class MonthClose {
    private final DataSource dataSource;
    private final PatientMonthLoader loader;
    private final PracticeMonthLoader practiceLoader;
    private final PracticeRules rulesOf;
    private final DataDays dataDays;
    private final TimeLedger ledger;
    private final Clock clock;

    /** A patient's evaluation for the readiness view. */
    public record Readiness(UUID patientId, PatientMonth facts, MonthOutcome outcome) {
    }

    public record Closed(UUID practiceId, YearMonth month, String closedBy, Instant closedAt, boolean alreadyClosed,
                         List<ClaimLine> lines, List<NotBilled> notBilled) {
        public BigDecimal total() {
            return lines.stream().map(ClaimLine::charge).filter(java.util.Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /** Receives each evaluated patient (readiness view), chunk by chunk. */
    @FunctionalInterface
    public interface ReadinessHandler {
        void accept(Readiness readiness) throws SQLException;
    }

    public MonthClose(DataSource dataSource, PatientMonthLoader loader, PracticeMonthLoader practiceLoader, PracticeRules rulesOf, DataDays dataDays,
                      TimeLedger ledger, Clock clock) {
        this.dataSource = dataSource;
        this.loader = loader;
        this.practiceLoader = practiceLoader;
        this.rulesOf = rulesOf;
        this.dataDays = dataDays;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** What a close wrote, without the lines themselves (a practice of 100,000 patients has about a million). */
    public record Summary(UUID practiceId, YearMonth month, boolean alreadyClosed, long lines, long notBilled, BigDecimal total) {
    }

    /** Closes the month and returns everything stored for it (the API's answer). */
    public Closed close(UUID practiceId, YearMonth month, String actor) throws SQLException {
        Summary summary = closeMonth(practiceId, month, actor);
        Closed closed = stored(practiceId, month).orElseThrow();
        return new Closed(closed.practiceId(), month, closed.closedBy(), closed.closedAt(), summary.alreadyClosed(), closed.lines(), closed.notBilled());
    }

    /**
     * Closes the month: under the month's exclusive lock, reads the practice's patient-months a chunk at a time (the next
     * chunk is read while the current one is written), evaluates them and writes their lines and reasons with COPY, in
     * one transaction. A month already closed is left as it is.
     */
    public Summary closeMonth(UUID practiceId, YearMonth month, String actor) throws SQLException {
        if (!ledger.practiceExists(practiceId)) {
            // The API token names any practice id; an unknown one is a 404, not a foreign-key violation (a 500 before).
            throw ApiException.notFound("No practice " + practiceId + ".");
        }
        ZoneId zone = ledger.zoneOf(practiceId);
        LocalDate today = LocalDate.now(clock.withZone(zone));
        if (!today.isAfter(month.atEndOfMonth())) {
            throw new ApiException(409, "month_not_over", month + " has not ended in the practice's time zone (" + zone + "); it can be closed from "
                    + month.plusMonths(1).atDay(1) + ".");
        }
        boolean alreadyClosed = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                BillingMonths.lockExclusive(c, practiceId, month);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.month_close (practice_id, month, closed_by) VALUES (?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")) {
                    ps.setObject(1, practiceId);
                    ps.setDate(2, Date.valueOf(month.atDay(1)));
                    ps.setString(3, actor);
                    alreadyClosed = ps.executeUpdate() == 0;
                }
                if (!alreadyClosed) {
                    // The practice's settings in effect on the month's first day, and its fees.
                    MonthRules rules = rulesOf.forMonth(practiceId, month);
                    // Set-based: a chunk of patients is read with a dozen queries, evaluated in memory and written with COPY.
                    ChunkPrefetch.forEachChunk(dataSource, practiceLoader.withRules(rules), practiceId, zone, month, month.atEndOfMonth(),
                            chunk -> ClaimRowsCopy.write(c, practiceId, month, outcomes(c, rules, chunk)));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return summary(practiceId, month, alreadyClosed);
    }

    private Summary summary(UUID practiceId, YearMonth month, boolean alreadyClosed) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT (SELECT count(*) FROM billing.claim_line WHERE practice_id = ? AND month = ?),
                       (SELECT coalesce(sum(charge), 0) FROM billing.claim_line WHERE practice_id = ? AND month = ?),
                       (SELECT count(*) FROM billing.code_not_billed WHERE practice_id = ? AND month = ?)""")) {
            for (int i = 0; i < 3; i++) {
                ps.setObject(2 * i + 1, practiceId);
                ps.setDate(2 * i + 2, Date.valueOf(month.atDay(1)));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Summary(practiceId, month, alreadyClosed, rs.getLong(1), rs.getLong(3), rs.getBigDecimal(2));
            }
        }
    }

    /**
     * Every patient of the practice evaluated for the month up to {@code asOf}, handed over chunk by chunk (bounded
     * memory); patients with nothing considered are left out.
     */
    public void evaluate(UUID practiceId, ZoneId zone, YearMonth month, LocalDate asOf, ReadinessHandler handler) throws SQLException {
        MonthRules rules = rulesOf.forMonth(practiceId, month);
        try (Connection c = dataSource.getConnection()) {
            // One snapshot for the whole view: a REPEATABLE READ transaction that only reads.
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                practiceLoader.withRules(rules).forEachChunk(c, practiceId, zone, month, asOf, chunk -> {
                    List<MonthOutcome> outcomes = outcomes(c, rules, chunk);
                    for (int i = 0; i < chunk.size(); i++) {
                        MonthOutcome o = outcomes.get(i);
                        if (!o.lines().isEmpty() || !o.notBilled().isEmpty()) {
                            handler.accept(new Readiness(chunk.get(i).patientId(), chunk.get(i), o));
                        }
                    }
                });
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        }
    }

    /** The same evaluation one patient at a time ({@link PatientMonthLoader}): the reference the set-based path is tested against. */
    public List<Readiness> evaluateOneByOne(UUID practiceId, ZoneId zone, YearMonth month, LocalDate asOf) throws SQLException {
        Map<UUID, LocalDate> starts = dataDays.monitoringStarts();
        MonthRules rules = rulesOf.forMonth(practiceId, month);
        PatientMonthLoader loader = this.loader.withRules(rules);
        List<Readiness> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (UUID patientId : patients(practiceId)) {
                PatientMonth facts = loader.load(patientId, zone, month, asOf, starts.get(patientId));
                MonthOutcome outcome = EnteredReadingNotes.annotate(c, List.of(facts), List.of(rules.evaluate(facts))).get(0);
                if (!outcome.lines().isEmpty() || !outcome.notBilled().isEmpty()) {
                    result.add(new Readiness(patientId, facts, outcome));
                }
            }
        }
        return result;
    }

    /**
     * The rules over a chunk, on every core (MonthRules is pure), in the chunk's order; then the device codes' reasons
     * say where staff entered readings that do not count as data days (one query per chunk, on the caller's connection).
     */
    private static List<MonthOutcome> outcomes(Connection c, MonthRules rules, List<PatientMonth> chunk) throws SQLException {
        return EnteredReadingNotes.annotate(c, chunk, chunk.parallelStream().map(rules::evaluate).toList());
    }

    public java.util.Optional<Closed> stored(UUID practiceId, YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String closedBy;
            Instant closedAt;
            try (PreparedStatement ps = c.prepareStatement("SELECT closed_by, closed_at FROM billing.month_close WHERE practice_id = ? AND month = ?")) {
                ps.setObject(1, practiceId);
                ps.setDate(2, Date.valueOf(month.atDay(1)));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return java.util.Optional.empty();
                    }
                    closedBy = rs.getString(1);
                    closedAt = rs.getTimestamp(2).toInstant();
                }
            }
            List<ClaimLine> lines = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT patient_id, code, units, date_of_service, period_start, period_end, diagnoses, "
                    + "billing_practitioner_id, billing_npi, place_of_service, charge, minutes_counted, data_days, justification FROM billing.claim_line "
                    + "WHERE practice_id = ? AND month = ? ORDER BY patient_id, date_of_service, code")) {
                ps.setObject(1, practiceId);
                ps.setDate(2, Date.valueOf(month.atDay(1)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Array dx = rs.getArray(7);
                        Integer minutes = (Integer) rs.getObject(12);
                        Integer days = (Integer) rs.getObject(13);
                        lines.add(new ClaimLine(rs.getObject(1, UUID.class), BillingCode.ofCpt(rs.getString(2)), rs.getInt(3),
                                rs.getDate(4).toLocalDate(), rs.getDate(5).toLocalDate(), rs.getDate(6).toLocalDate(),
                                Arrays.asList((String[]) dx.getArray()), rs.getObject(8, UUID.class), rs.getString(9), rs.getString(10),
                                rs.getBigDecimal(11), minutes, days, rs.getString(14)));
                    }
                }
            }
            List<NotBilled> notBilled = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT patient_id, code, period_end, reason FROM billing.code_not_billed "
                    + "WHERE practice_id = ? AND month = ? ORDER BY patient_id, period_end, code")) {
                ps.setObject(1, practiceId);
                ps.setDate(2, Date.valueOf(month.atDay(1)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        notBilled.add(new NotBilled(rs.getObject(1, UUID.class), BillingCode.ofCpt(rs.getString(2)), rs.getDate(3).toLocalDate(),
                                rs.getString(4)));
                    }
                }
            }
            return java.util.Optional.of(new Closed(practiceId, month, closedBy, closedAt, true, lines, notBilled));
        }
    }

    private List<UUID> patients(UUID practiceId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return List.copyOf(Directory.patientIds(c, practiceId));
        }
    }

    static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
