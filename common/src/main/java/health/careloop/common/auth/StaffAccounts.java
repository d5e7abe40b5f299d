package health.careloop.common.auth;

import health.careloop.common.http.ApiException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * Staff accounts and sign-in sessions. Passwords are bcrypt-hashed (Spring Security's encoder, cost 12); session
 * tokens are random, stored only as SHA-256, and end after {@link #IDLE_TIMEOUT} without use or {@link #MAX_AGE}
 * in all. Blocking JDBC: call from worker threads. The static methods work on the caller's connection (its transaction,
 * isolation and practice scope): they are how the other tiers read and lock staff rows, since a tier's SQL names only
 * its own schema (docs/DESIGN.md, "Modules").
 */
public final class StaffAccounts {
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration MAX_AGE = Duration.ofHours(12);
    static final int MIN_PASSWORD_LENGTH = 12;
    private static final String COLUMNS = "id, practice_id, email, display_name, role, npi, active";

    private final DataSource dataSource;
    private static final BCryptPasswordEncoder ENCODER = new BCryptPasswordEncoder(12);
    private final SecureRandom random = new SecureRandom();
    /** bcrypt comparisons made by {@link #signIn}: each costs ~0.2 s of a core, which is what the throttle guards. */
    private final LongAdder passwordChecks = new LongAdder();

    public StaffAccounts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Compared against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password; made once. */
    private static final class Decoy {
        static final String HASH = ENCODER.encode("decoy-password-for-timing");
    }

    public StaffMember create(UUID practiceId, String email, String displayName, StaffRole role, String npi, String password)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return create(c, practiceId, email, displayName, role, npi, password);
        }
    }

    /** The same, on the caller's connection and in its transaction (the first-run setup makes a practice and its administrator at once). */
    public static StaffMember create(Connection c, UUID practiceId, String email, String displayName, StaffRole role, String npi, String password)
            throws SQLException {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.badRequest("The password must have at least " + MIN_PASSWORD_LENGTH + " characters.");
        }
        checkNpi(role, npi);
        StaffMember member = new StaffMember(UUID.randomUUID(), practiceId, email.trim(), displayName, role, npi, true);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO core.staff_user (id, practice_id, email, display_name, role, npi, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, member.id());
            ps.setObject(2, practiceId);
            ps.setString(3, member.email());
            ps.setString(4, displayName);
            ps.setString(5, role.wireName());
            ps.setString(6, npi);
            ps.setString(7, ENCODER.encode(password));
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw ApiException.conflict("An account with that e-mail address already exists.");
            }
            if ("23503".equals(e.getSQLState())) {
                throw ApiException.notFound("No practice " + practiceId + ".");
            }
            throw e;
        }
        return member;
    }

    public List<StaffMember> list(UUID practiceId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM core.staff_user WHERE practice_id = ? ORDER BY display_name")) {
            ps.setObject(1, practiceId);
            try (ResultSet rs = ps.executeQuery()) {
                List<StaffMember> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(member(rs));
                }
                return result;
            }
        }
    }

    public Optional<StaffMember> find(UUID staffId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM core.staff_user WHERE id = ?")) {
            ps.setObject(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(member(rs)) : Optional.empty();
            }
        }
    }

    /** A new session token for a correct e-mail and password of an active account; empty otherwise. */
    public Optional<String> signIn(String email, String password) throws SQLException {
        UUID staffId = null;
        String hash = Decoy.HASH;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, password_hash FROM core.staff_user WHERE lower(email) = lower(?) AND active")) {
            ps.setString(1, email.trim());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    staffId = rs.getObject(1, UUID.class);
                    hash = rs.getString(2);
                }
            }
        }
        passwordChecks.increment();
        boolean matches = ENCODER.matches(password, hash);
        if (staffId == null || !matches) {
            return Optional.empty();
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO core.staff_session (token_hash, staff_id, expires_at) VALUES (?, ?, ?)")) {
            ps.setBytes(1, sha256(token));
            ps.setObject(2, staffId);
            ps.setTimestamp(3, Timestamp.from(Instant.now().plus(MAX_AGE)));
            ps.executeUpdate();
        }
        return Optional.of(token);
    }

    /** How many passwords this instance has compared with bcrypt (a metric, and what the throttle test counts). */
    public long passwordChecks() {
        return passwordChecks.sum();
    }

    /** The staff member behind a live session token, touching its idle timer; empty for unknown, idle, expired or revoked. */
    public Optional<StaffMember> authenticate(String token) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE core.staff_session s SET last_seen_at = now()
                FROM core.staff_user u
                WHERE s.token_hash = ? AND u.id = s.staff_id AND u.active AND s.revoked_at IS NULL
                  AND s.expires_at > now() AND s.last_seen_at > now() - ?::interval
                RETURNING u.id, u.practice_id, u.email, u.display_name, u.role, u.npi, u.active""")) {
            ps.setBytes(1, sha256(token));
            ps.setString(2, IDLE_TIMEOUT.toSeconds() + " seconds");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(member(rs)) : Optional.empty();
            }
        }
    }

    /** Ends every live session of this staff member ("sign out everywhere"); how many were ended. */
    public int signOutEverywhere(UUID staffId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return endSessions(c, staffId);
        }
    }

    /**
     * Deactivates an account and ends all its sessions in one transaction: a departed colleague's open tab or stolen
     * token stops working at once, and reactivating the account later would not bring the old sessions back.
     * Empty when there is no such account (or it is in a practice the caller cannot see, under row-level security).
     */
    public Optional<Integer> deactivate(UUID staffId) throws SQLException {
        return updateEndingSessions(staffId, "UPDATE core.staff_user SET active = false WHERE id = ?");
    }

    /**
     * Sets a new password (an administrator's reset) and ends every session of the account in the same transaction: a
     * reset after a suspected compromise must also throw out whoever holds a session. Empty when there is no such account.
     */
    public Optional<Integer> resetPassword(UUID staffId, String password) throws SQLException {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.badRequest("The password must have at least " + MIN_PASSWORD_LENGTH + " characters.");
        }
        String hash = ENCODER.encode(password);
        return updateEndingSessions(staffId, "UPDATE core.staff_user SET password_hash = ? WHERE id = ?", hash);
    }

    /**
     * Gives the account another role (and the NPI it needs, or none: only physicians and NPPs have one) and ends all its
     * sessions in the same transaction, so the person signs in again under the new role and no open page keeps acting
     * under the old one. Empty when there is no such account.
     */
    public Optional<Integer> changeRole(UUID staffId, StaffRole role, String npi) throws SQLException {
        checkNpi(role, npi);
        return updateEndingSessions(staffId, "UPDATE core.staff_user SET role = ?, npi = ? WHERE id = ?", role.wireName(), npi);
    }

    /**
     * Runs one UPDATE of an account (its values, then the staff id as the last parameter) and ends all the account's
     * sessions in the same transaction; how many were ended, or empty when there is no such account.
     */
    private Optional<Integer> updateEndingSessions(UUID staffId, String update, Object... values) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(update)) {
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                ps.setObject(values.length + 1, staffId);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return Optional.empty();
                }
                int ended = endSessions(c, staffId);
                c.commit();
                return Optional.of(ended);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void checkNpi(StaffRole role, String npi) {
        if (npi != null && !role.isProvider()) {
            throw ApiException.badRequest("'npi': only physicians and NPPs have an NPI here.");
        }
        if (npi != null && !Npi.isValid(npi)) {
            throw ApiException.badRequest("'npi' must be 10 digits with a valid check digit.");
        }
    }

    private static int endSessions(Connection c, UUID staffId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE core.staff_session SET revoked_at = now() WHERE staff_id = ? AND revoked_at IS NULL")) {
            ps.setObject(1, staffId);
            return ps.executeUpdate();
        }
    }

    public void signOut(String token) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE core.staff_session SET revoked_at = now() WHERE token_hash = ? AND revoked_at IS NULL")) {
            ps.setBytes(1, sha256(token));
            ps.executeUpdate();
        }
    }

    /** The NPI on file of each of the given staff members (null for those without one), in one query; unknown ids are absent. */
    public static Map<UUID, String> npis(Connection c, Collection<UUID> staffIds) throws SQLException {
        return column(c, "SELECT id, npi FROM core.staff_user WHERE id = ANY (?)", staffIds);
    }

    /** The display name of each of the given staff members, in one query; unknown ids are absent. */
    public static Map<UUID, String> displayNames(Connection c, Collection<UUID> staffIds) throws SQLException {
        return column(c, "SELECT id, display_name FROM core.staff_user WHERE id = ANY (?)", staffIds);
    }

    /** Whether the staff member is an active account of the practice. */
    public static boolean isActiveMemberOf(Connection c, UUID staffId, UUID practiceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM core.staff_user WHERE id = ? AND practice_id = ? AND active")) {
            ps.setObject(1, staffId);
            ps.setObject(2, practiceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Locks the staff member's row until the caller's transaction ends (NO KEY UPDATE): the time ledger serialises one
     * person's entries on it, so two never overlap.
     */
    public static void lockStaffMember(Connection c, UUID staffId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM core.staff_user WHERE id = ? FOR NO KEY UPDATE")) {
            ps.setObject(1, staffId);
            ps.executeQuery().close();
        }
    }

    private static Map<UUID, String> column(Connection c, String sql, Collection<UUID> staffIds) throws SQLException {
        Map<UUID, String> result = new HashMap<>();
        if (staffIds.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("uuid", staffIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return result;
    }

    private static StaffMember member(ResultSet rs) throws SQLException {
        return new StaffMember(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                StaffRole.fromWire(rs.getString(5)).orElseThrow(), rs.getString(6), rs.getBoolean(7));
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
