package health.careloop.billing.acks;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The claims' statuses (billing.claim_status) and their history (billing.claim_status_event): the one owner of both
 * tables. Reads for other packages ({@link #payerClaimControlNumber}) come in two shapes: on the caller's connection,
 * so they run in its transaction and practice scope, or on the pool. Writes run on the connection of the import or
 * request that makes them, inside its transaction. Blocking JDBC: call from worker threads.
 */
public final class ClaimStatuses {
    private static final String COLUMNS = "claim_control_number, patient_id, month, codes, status, reason, group_control_number, sent_at, sent_by, "
            + "status_at, status_by, payer_claim_control_number, payer_number_source, payer_number_by, payer_number_at";

    /** A claim of a closed month, as CLM01 names it. */
    public record ClaimRef(String claimControlNumber, UUID patientId, YearMonth month) {
    }

    /** One change of a claim's status or payer number: who or which file made it, and when. */
    public record Event(Instant at, String actor, UUID fileId, ClaimState state, String reason, String payerClaimControlNumber) {
    }

    /** A claim on an 837P as it was downloaded. */
    public record SentClaim(String claimControlNumber, UUID patientId, List<String> codes) {
        public SentClaim {
            codes = List.copyOf(codes);
        }
    }

    private final DataSource dataSource;

    public ClaimStatuses(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The payer's claim control number (ICN/DCN) of a claim, from the 277CA that accepted it (REF*1K) or entered by a
     * biller; empty while none is known. For a replacement or void claim's REF*F8. Runs on the caller's connection.
     */
    public static Optional<String> payerClaimControlNumber(Connection c, UUID practiceId, String claimControlNumber) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT payer_claim_control_number FROM billing.claim_status "
                + "WHERE practice_id = ? AND claim_control_number = ?")) {
            ps.setObject(1, practiceId);
            ps.setString(2, claimControlNumber);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** {@link #payerClaimControlNumber(Connection, UUID, String)} on a connection of its own. */
    public Optional<String> payerClaimControlNumber(UUID practiceId, String claimControlNumber) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return payerClaimControlNumber(c, practiceId, claimControlNumber);
        }
    }

    /** The statuses of a month's claims, by CLM01. */
    public List<ClaimStatus> ofMonth(UUID practiceId, YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM billing.claim_status WHERE practice_id = ? AND month = ? ORDER BY claim_control_number")) {
            ps.setObject(1, practiceId);
            ps.setDate(2, Date.valueOf(month.atDay(1)));
            return list(ps);
        }
    }

    public Optional<ClaimStatus> find(UUID practiceId, String claimControlNumber) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return find(c, practiceId, claimControlNumber, false);
        }
    }

    /** Every change of the claim, oldest first. */
    public List<Event> history(UUID practiceId, String claimControlNumber) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT at, actor, file_id, status, reason, "
                + "payer_claim_control_number FROM billing.claim_status_event WHERE practice_id = ? AND claim_control_number = ? ORDER BY id")) {
            ps.setObject(1, practiceId);
            ps.setString(2, claimControlNumber);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new Event(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getObject(3, UUID.class), ClaimState.ofWire(rs.getString(4)),
                            rs.getString(5), rs.getString(6)));
                }
            }
        }
        return events;
    }

    /**
     * Records the claims of a downloaded 837P as sent in the group {@code groupControlNumber}. A claim seen for the first
     * time, or rejected before (fixed and sent again), becomes {@link ClaimState#SENT}; one already received or accepted
     * keeps its status (a download again is not a new submission of it). One transaction.
     *
     * @return the claims that became sent
     */
    public List<String> recordSent(UUID practiceId, YearMonth month, long groupControlNumber, List<SentClaim> claims, String actor) throws SQLException {
        List<String> changed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (SentClaim claim : claims) {
                    Optional<ClaimStatus> now = find(c, practiceId, claim.claimControlNumber(), true);
                    boolean send = now.isEmpty() || now.get().state() == ClaimState.REJECTED;
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.claim_status (practice_id, claim_control_number, patient_id, "
                            + "month, codes, status, group_control_number, sent_at, sent_by, status_by) VALUES (?, ?, ?, ?, ?, 'sent', ?, now(), ?, ?) "
                            + "ON CONFLICT (practice_id, claim_control_number) DO UPDATE SET codes = excluded.codes, group_control_number = "
                            + "excluded.group_control_number, sent_at = excluded.sent_at, sent_by = excluded.sent_by"
                            + (send ? ", status = 'sent', reason = NULL, status_at = now(), status_by = excluded.status_by" : ""))) {
                        ps.setObject(1, practiceId);
                        ps.setString(2, claim.claimControlNumber());
                        ps.setObject(3, claim.patientId());
                        ps.setDate(4, Date.valueOf(month.atDay(1)));
                        ps.setArray(5, c.createArrayOf("text", claim.codes().toArray()));
                        ps.setLong(6, groupControlNumber);
                        ps.setString(7, actor);
                        ps.setString(8, actor);
                        ps.executeUpdate();
                    }
                    if (send) {
                        event(c, practiceId, claim.claimControlNumber(), actor, null, ClaimState.SENT, null, null);
                        changed.add(claim.claimControlNumber());
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return changed;
    }

    /** What a payer's claim control number may be: letters, digits and hyphens, at most 50 (REF02 of REF*F8). */
    public static final java.util.regex.Pattern PAYER_NUMBER = java.util.regex.Pattern.compile("[0-9A-Za-z-]{1,50}");

    /**
     * A biller enters the payer's claim control number by hand (some payers give it only on the remittance). The claim
     * must be one of the practice's: one it sent, or one its closed months make. A claim still sent or received is then
     * accepted (the payer numbered it); a rejected or accepted one keeps its status. Who and when are kept in the
     * claim's history. Empty when the practice has no such claim.
     */
    public Optional<ClaimStatus> enterPayerClaimNumber(UUID practiceId, String claimControlNumber, String payerNumber, String actor) throws SQLException {
        if (!PAYER_NUMBER.matcher(payerNumber).matches()) {
            throw new IllegalArgumentException("a payer claim number is 1-50 letters, digits or hyphens, as the payer printed it");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<ClaimRef> ref = new ClaimNumbers(c, practiceId).resolve(claimControlNumber);
                if (ref.isEmpty()) {
                    c.rollback();
                    return Optional.empty();
                }
                Optional<ClaimStatus> now = find(c, practiceId, claimControlNumber, true);
                if (now.isEmpty() || !payerNumber.equals(now.get().payerClaimControlNumber())) {
                    ClaimState state = now.map(ClaimStatus::state).filter(s -> s == ClaimState.REJECTED || s == ClaimState.ACCEPTED)
                            .orElse(ClaimState.ACCEPTED);
                    String reason = now.isPresent() && now.get().state() == state ? now.get().reason() : "the payer's claim number was entered by hand";
                    change(c, practiceId, ref.get(), state, reason, payerNumber, "entered", actor, null);
                }
                Optional<ClaimStatus> after = find(c, practiceId, claimControlNumber, false);
                c.commit();
                return after;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    static Optional<ClaimStatus> find(Connection c, UUID practiceId, String claimControlNumber, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM billing.claim_status WHERE practice_id = ? AND "
                + "claim_control_number = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setObject(1, practiceId);
            ps.setString(2, claimControlNumber);
            return list(ps).stream().findFirst();
        }
    }

    /** The claims last sent in the 837 whose GS06 is {@code groupControlNumber}, locked for the caller's transaction. */
    static List<ClaimStatus> ofGroup(Connection c, UUID practiceId, long groupControlNumber) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM billing.claim_status WHERE practice_id = ? AND "
                + "group_control_number = ? ORDER BY claim_control_number FOR UPDATE")) {
            ps.setObject(1, practiceId);
            ps.setLong(2, groupControlNumber);
            return list(ps);
        }
    }

    /**
     * Sets a claim's status (and its payer number when given; a null keeps the one known), inserting the claim when it
     * has no row yet, and writes the event. In the caller's transaction.
     */
    static void change(Connection c, UUID practiceId, ClaimRef claim, ClaimState state, String reason, String payerNumber, String payerSource,
                       String actor, UUID fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.claim_status (practice_id, claim_control_number, patient_id, month, "
                + "status, reason, status_by, payer_claim_control_number, payer_number_source, payer_number_by, payer_number_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ?::text IS NULL THEN NULL ELSE now() END) "
                + "ON CONFLICT (practice_id, claim_control_number) DO UPDATE SET status = excluded.status, reason = excluded.reason, "
                + "status_at = now(), status_by = excluded.status_by, "
                + "payer_claim_control_number = COALESCE(excluded.payer_claim_control_number, claim_status.payer_claim_control_number), "
                + "payer_number_source = COALESCE(excluded.payer_number_source, claim_status.payer_number_source), "
                + "payer_number_by = COALESCE(excluded.payer_number_by, claim_status.payer_number_by), "
                + "payer_number_at = COALESCE(excluded.payer_number_at, claim_status.payer_number_at)")) {
            ps.setObject(1, practiceId);
            ps.setString(2, claim.claimControlNumber());
            ps.setObject(3, claim.patientId());
            ps.setDate(4, Date.valueOf(claim.month().atDay(1)));
            ps.setString(5, state.wireName());
            ps.setString(6, reason);
            ps.setString(7, actor);
            ps.setString(8, payerNumber);
            ps.setString(9, payerNumber == null ? null : payerSource);
            ps.setString(10, payerNumber == null ? null : actor);
            ps.setString(11, payerNumber);
            ps.executeUpdate();
        }
        event(c, practiceId, claim.claimControlNumber(), actor, fileId, state, reason, payerNumber);
    }

    private static void event(Connection c, UUID practiceId, String claimControlNumber, String actor, UUID fileId, ClaimState state, String reason,
                              String payerNumber) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.claim_status_event (practice_id, claim_control_number, actor, file_id, "
                + "status, reason, payer_claim_control_number) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, practiceId);
            ps.setString(2, claimControlNumber);
            ps.setString(3, actor);
            if (fileId == null) {
                ps.setNull(4, Types.OTHER);
            } else {
                ps.setObject(4, fileId);
            }
            ps.setString(5, state.wireName());
            ps.setString(6, reason);
            ps.setString(7, payerNumber);
            ps.executeUpdate();
        }
    }

    private static List<ClaimStatus> list(PreparedStatement ps) throws SQLException {
        List<ClaimStatus> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array codes = rs.getArray(4);
                long group = rs.getLong(7);
                Long groupControlNumber = rs.wasNull() ? null : group;
                result.add(new ClaimStatus(rs.getString(1), rs.getObject(2, UUID.class), YearMonth.from(rs.getDate(3).toLocalDate()),
                        codes == null ? List.of() : Arrays.asList((String[]) codes.getArray()), ClaimState.ofWire(rs.getString(5)), rs.getString(6),
                        groupControlNumber, instant(rs.getTimestamp(8)), rs.getString(9), instant(rs.getTimestamp(10)), rs.getString(11),
                        rs.getString(12), rs.getString(13), rs.getString(14), instant(rs.getTimestamp(15))));
            }
        }
        return result;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
