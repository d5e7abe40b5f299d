package health.careloop.billing.corrections;

import health.careloop.billing.claims.BillingCode;
import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.claims.MonthOutcome;
import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.ledger.BillingMonths;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.billing.x12.ClaimFrequency;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Corrections after close (issue 18, billing V11). A closed month stays closed: its claim lines never change. "Recompute
 * corrections" works the month out again from today's ledger and records ({@link MonthClose#evaluate}, the close's own
 * rules), compares it with the claims as they stand ({@link CorrectionPlanner}) and stores the corrections it calls for,
 * all under the month's exclusive lock (the lock the close takes and every ledger write of the month waits on), so two
 * runs at once store one set and a run that finds nothing changed stores nothing. Blocking JDBC.
 */
public final class ClaimCorrections {
    private final DataSource dataSource;
    private final MonthClose close;
    private final TimeLedger ledger;
    private final PayerClaimNumbers payerNumbers;

    /** What one run stored, and the month's corrections after it (every version, oldest first). */
    public record Run(YearMonth month, List<Correction> created, List<Correction> all) {
    }

    public ClaimCorrections(DataSource dataSource, MonthClose close, TimeLedger ledger, PayerClaimNumbers payerNumbers) {
        this.dataSource = dataSource;
        this.close = close;
        this.ledger = ledger;
        this.payerNumbers = payerNumbers;
    }

    public Run recompute(UUID practiceId, YearMonth month, String actor) throws SQLException {
        if (!ledger.practiceExists(practiceId)) {
            throw ApiException.notFound("No practice " + practiceId + ".");
        }
        ZoneId zone = ledger.zoneOf(practiceId);
        Set<UUID> created = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                BillingMonths.lockExclusive(c, practiceId, month);
                MonthClose.Closed closed = close.stored(practiceId, month).orElseThrow(() -> notClosed(month));
                List<ClaimVersion> current = current(closed, load(c, practiceId, month));
                Map<UUID, MonthOutcome> recomputed = new HashMap<>();
                close.evaluate(practiceId, zone, month, month.atEndOfMonth(), r -> recomputed.put(r.patientId(), r.outcome()));
                for (PlannedCorrection p : CorrectionPlanner.plan(month, current, recomputed)) {
                    created.add(insert(c, practiceId, month, p, actor));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    throw new ApiException(409, "recompute_in_progress", "Corrections of " + month + " were being stored by another run at the "
                            + "same time; nothing was stored by this one. Run it again to see them.");
                }
                throw e;
            }
        }
        List<Correction> all = list(practiceId, month);
        return new Run(month, all.stream().filter(k -> created.contains(k.id())).toList(), all);
    }

    /** Every correction of the month, oldest first, each with its status; 409 while the month is open. */
    public List<Correction> list(UUID practiceId, YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!BillingMonths.isClosed(c, practiceId, month)) {
                throw notClosed(month);
            }
            List<Correction> stored = load(c, practiceId, month);
            Map<String, Integer> latest = new HashMap<>();
            stored.forEach(k -> latest.merge(k.claimControlNumber(), k.version(), Math::max));
            List<Correction> result = new ArrayList<>(stored.size());
            for (Correction k : stored) {
                if (k.version() < latest.get(k.claimControlNumber())) {
                    result.add(k.withStatus(null, Correction.Status.SUPERSEDED));
                } else if (!k.frequency().needsPayerClaimControlNumber()) {
                    result.add(k.withStatus(null, Correction.Status.READY));
                } else {
                    Optional<String> number = payerNumbers.payerClaimControlNumber(c, practiceId, k.claimControlNumber());
                    result.add(k.withStatus(number.orElse(null), number.isPresent() ? Correction.Status.READY : Correction.Status.WAITING));
                }
            }
            return result;
        }
    }

    /** The month's claims as they stand: the close's grouping of its lines (version 0), each replaced by its latest correction. */
    static List<ClaimVersion> current(MonthClose.Closed closed, List<Correction> corrections) {
        Map<UUID, List<ClaimLine>> byPatient = new LinkedHashMap<>();
        closed.lines().forEach(l -> byPatient.computeIfAbsent(l.patientId(), id -> new ArrayList<>()).add(l));
        Map<String, ClaimVersion> claims = new LinkedHashMap<>();
        byPatient.forEach((patientId, lines) -> Claim837Export.originals(patientId, closed.month(), lines).forEach(o ->
                claims.put(o.controlNumber(), new ClaimVersion(patientId, o.controlNumber(), 0, ClaimFrequency.ORIGINAL, o.lines()))));
        for (Correction k : corrections) {
            ClaimVersion known = claims.get(k.claimControlNumber());
            if (known == null || known.version() < k.version()) {
                claims.put(k.claimControlNumber(), new ClaimVersion(k.patientId(), k.claimControlNumber(), k.version(), k.frequency(), k.lines()));
            }
        }
        return List.copyOf(claims.values());
    }

    private static ApiException notClosed(YearMonth month) {
        return new ApiException(409, "month_not_closed", "Billing for " + month + " is not closed yet; corrections are for a closed month "
                + "(close it first: POST /billing/months/" + month + "/close).");
    }

    private static UUID insert(Connection c, UUID practiceId, YearMonth month, PlannedCorrection p, String actor) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.claim_correction (id, practice_id, month, patient_id, "
                + "claim_control_number, version, frequency, changes, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setObject(2, practiceId);
            ps.setDate(3, Date.valueOf(month.atDay(1)));
            ps.setObject(4, p.patientId());
            ps.setString(5, p.controlNumber());
            ps.setInt(6, p.version());
            ps.setString(7, p.frequency().code());
            ps.setArray(8, c.createArrayOf("text", p.changes().toArray()));
            ps.setString(9, actor);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.claim_correction_line (correction_id, line_no, practice_id, code, units, "
                + "date_of_service, period_start, period_end, diagnoses, billing_practitioner_id, billing_npi, place_of_service, charge, "
                + "minutes_counted, data_days, justification) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int no = 0;
            for (ClaimLine l : p.lines()) {
                ps.setObject(1, id);
                ps.setInt(2, ++no);
                ps.setObject(3, practiceId);
                ps.setString(4, l.code().cpt());
                ps.setInt(5, l.units());
                ps.setDate(6, Date.valueOf(l.dateOfService()));
                ps.setDate(7, Date.valueOf(l.periodStart()));
                ps.setDate(8, Date.valueOf(l.periodEnd()));
                ps.setArray(9, c.createArrayOf("text", l.diagnoses().toArray()));
                ps.setObject(10, l.billingPractitionerId());
                ps.setString(11, l.billingNpi());
                ps.setString(12, l.placeOfService());
                ps.setBigDecimal(13, l.charge());
                ps.setObject(14, l.minutesCounted(), java.sql.Types.INTEGER);
                ps.setObject(15, l.dataDays(), java.sql.Types.INTEGER);
                ps.setString(16, l.justification());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return id;
    }

    /** The month's stored corrections with their lines, oldest first (status not yet known). */
    private static List<Correction> load(Connection c, UUID practiceId, YearMonth month) throws SQLException {
        Map<UUID, List<ClaimLine>> lines = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.correction_id, k.patient_id, l.code, l.units, l.date_of_service, l.period_start, "
                + "l.period_end, l.diagnoses, l.billing_practitioner_id, l.billing_npi, l.place_of_service, l.charge, l.minutes_counted, l.data_days, "
                + "l.justification FROM billing.claim_correction_line l JOIN billing.claim_correction k ON k.id = l.correction_id "
                + "WHERE k.practice_id = ? AND k.month = ? ORDER BY l.correction_id, l.line_no")) {
            ps.setObject(1, practiceId);
            ps.setDate(2, Date.valueOf(month.atDay(1)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array dx = rs.getArray(8);
                    lines.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(new ClaimLine(rs.getObject(2, UUID.class),
                            BillingCode.ofCpt(rs.getString(3)), rs.getInt(4), rs.getDate(5).toLocalDate(), rs.getDate(6).toLocalDate(),
                            rs.getDate(7).toLocalDate(), Arrays.asList((String[]) dx.getArray()), rs.getObject(9, UUID.class), rs.getString(10),
                            rs.getString(11), rs.getBigDecimal(12), (Integer) rs.getObject(13), (Integer) rs.getObject(14), rs.getString(15)));
                }
            }
        }
        List<Correction> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, patient_id, claim_control_number, version, frequency, changes, created_by, "
                + "created_at FROM billing.claim_correction WHERE practice_id = ? AND month = ? ORDER BY created_at, claim_control_number, version")) {
            ps.setObject(1, practiceId);
            ps.setDate(2, Date.valueOf(month.atDay(1)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    result.add(new Correction(id, practiceId, rs.getObject(2, UUID.class), rs.getString(3), rs.getInt(4), frequency(rs.getString(5)),
                            lines.getOrDefault(id, List.of()), Arrays.asList((String[]) rs.getArray(6).getArray()), rs.getString(7),
                            rs.getTimestamp(8).toInstant(), null, Correction.Status.WAITING));
                }
            }
        }
        return result;
    }

    private static ClaimFrequency frequency(String code) {
        for (ClaimFrequency f : ClaimFrequency.values()) {
            if (f.code().equals(code)) {
                return f;
            }
        }
        throw new IllegalStateException("unknown claim frequency " + code);
    }
}
