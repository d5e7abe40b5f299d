package health.careloop.clinical.complexity;

import health.careloop.common.db.PerPatientRows;
import health.careloop.common.db.Transactions;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * clinical.ccm_complexity: at most one record in force per patient and month (recording the month again replaces its
 * level); a withdrawn record stays, marked with who withdrew it, when and why. Nothing changes for a month whose billing
 * is closed: its claims were made from what was in force then. Blocking JDBC.
 */
public final class ComplexityRecords {
    public static final Set<String> LEVELS = Set.of("moderate", "high");
    private static final String COLUMNS = "id, patient_id, month, level, note, provider_id, recorded_by, recorded_at, "
            + "withdrawn_at, withdrawn_by_staff, withdrawn_by, withdrawal_reason";
    private static final DateTimeFormatter MONTH_WORDS = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.US);

    private final DataSource dataSource;
    private final ClosedMonths closedMonths;

    public ComplexityRecords(DataSource dataSource, ClosedMonths closedMonths) {
        this.dataSource = dataSource;
        this.closedMonths = closedMonths;
    }

    public ComplexityRecord record(UUID practiceId, UUID patientId, YearMonth month, String level, String note, UUID providerId, String actor)
            throws SQLException {
        return Transactions.inTransaction(dataSource, c -> {
            requireOpen(c, practiceId, month, "medical decision making can no longer be recorded for it (its claims were made from what was on record)");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO clinical.ccm_complexity (id, practice_id, patient_id, month, level, note, provider_id, recorded_by) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (patient_id, month) WHERE withdrawn_at IS NULL DO UPDATE SET level = EXCLUDED.level, "
                            + "note = EXCLUDED.note, provider_id = EXCLUDED.provider_id, recorded_by = EXCLUDED.recorded_by, recorded_at = now() RETURNING " + COLUMNS)) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, practiceId);
                ps.setObject(3, patientId);
                ps.setDate(4, Date.valueOf(month.atDay(1)));
                ps.setString(5, level);
                ps.setString(6, note);
                ps.setObject(7, providerId);
                ps.setString(8, actor);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return row(rs);
                }
            }
        });
    }

    /**
     * Withdraws the patient's record {@code recordId}: it stays in the history and no longer counts. Refused when it is
     * not the patient's (404), already withdrawn or its month's billing is closed (409, in words).
     */
    public ComplexityRecord withdraw(UUID practiceId, UUID patientId, UUID recordId, String reason, UUID staffId, String actor) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> {
            ComplexityRecord current = find(c, patientId, recordId)
                    .orElseThrow(() -> ApiException.notFound("No complex CCM record " + recordId + " for this patient."));
            if (!current.inForce()) {
                throw new ApiException(409, "already_withdrawn", "The record of " + current.level() + " complexity for " + words(current.month())
                        + " was already withdrawn (reason given: \"" + current.withdrawal().reason() + "\"); nothing was changed.");
            }
            requireOpen(c, practiceId, current.month(), "the record stays as the month was billed and can no longer be withdrawn");
            try (PreparedStatement ps = c.prepareStatement("UPDATE clinical.ccm_complexity SET withdrawn_at = now(), withdrawn_by_staff = ?, "
                    + "withdrawn_by = ?, withdrawal_reason = ? WHERE id = ? RETURNING " + COLUMNS)) {
                ps.setObject(1, staffId);
                ps.setString(2, actor);
                ps.setString(3, reason);
                ps.setObject(4, recordId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return row(rs);
                }
            }
        });
    }

    /** The patient's records, withdrawn ones too: newest month first, within a month the one in force first. */
    public List<ComplexityRecord> of(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM clinical.ccm_complexity WHERE patient_id = ? ORDER BY month DESC, withdrawn_at DESC NULLS FIRST")) {
            ps.setObject(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                List<ComplexityRecord> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(row(rs));
                }
                return result;
            }
        }
    }

    /**
     * Many patients' records in force in one query (the billing month close reads them per chunk); withdrawn records and
     * patients without any are absent.
     */
    public static Map<UUID, List<ComplexityRecord>> ofPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        return PerPatientRows.read(c, "SELECT " + COLUMNS + " FROM clinical.ccm_complexity WHERE patient_id = ANY (?) AND withdrawn_at IS NULL "
                        + "ORDER BY patient_id, month DESC", patientIds, ComplexityRecords::row, ComplexityRecord::patientId);
    }

    /** The level in force for the month among these records, or null. */
    public static String levelIn(List<ComplexityRecord> records, YearMonth month) {
        return records.stream().filter(r -> r.inForce() && r.month().equals(month)).map(ComplexityRecord::level).findFirst().orElse(null);
    }

    /** "November 2026": how a refusal names a month. */
    static String words(YearMonth month) {
        return month.format(MONTH_WORDS);
    }

    private void requireOpen(Connection c, UUID practiceId, YearMonth month, String consequence) throws SQLException {
        if (closedMonths.closedHoldingTheAnswer(c, practiceId, month)) {
            // The same code and opening as the time ledger's refusal for a closed month.
            throw new ApiException(409, "month_closed", "Billing for " + words(month) + " (" + month + ") is closed; " + consequence + ".");
        }
    }

    private static Optional<ComplexityRecord> find(Connection c, UUID patientId, UUID recordId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM clinical.ccm_complexity WHERE id = ? AND patient_id = ? FOR UPDATE")) {
            ps.setObject(1, recordId);
            ps.setObject(2, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static ComplexityRecord row(ResultSet rs) throws SQLException {
        Timestamp withdrawnAt = rs.getTimestamp(9);
        ComplexityRecord.Withdrawal withdrawal = withdrawnAt == null ? null
                : new ComplexityRecord.Withdrawal(withdrawnAt.toInstant(), rs.getObject(10, UUID.class), rs.getString(11), rs.getString(12));
        return new ComplexityRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), YearMonth.from(rs.getDate(3).toLocalDate()),
                rs.getString(4), rs.getString(5), rs.getObject(6, UUID.class), rs.getString(7), rs.getTimestamp(8).toInstant(), withdrawal);
    }
}
