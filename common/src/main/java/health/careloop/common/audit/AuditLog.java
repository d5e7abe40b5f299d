package health.careloop.common.audit;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads one practice's audit events, newest first, a page at a time: by date range, staff member and patient (the one
 * a call addressed, or one of those a list or an export named). Blocking JDBC: call from worker threads, inside the
 * caller's practice scope so row-level security fences the read as well.
 */
public final class AuditLog {
    private static final String COLUMNS = "id, at, actor, staff_id, action, resource, query, outcome, practice_id, patient_id, patient_ids, client_address";

    /** An event as stored, with its row id. */
    public record Stored(long id, AuditEvent event) {
    }

    /**
     * @param from   inclusive; null for no lower bound
     * @param to     exclusive; null for no upper bound
     * @param after  the cursor of the previous page's last event (events older than it); null for the newest
     */
    public record Filter(UUID practiceId, UUID patientId, UUID staffId, Instant from, Instant to, Cursor after, int limit) {
    }

    /** Where a page ended: the (time, id) of its last event, as an opaque string for clients. */
    public record Cursor(Instant at, long id) {
        public String wire() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
            return micros + "." + id;
        }

        public static Optional<Cursor> parse(String wire) {
            String[] parts = wire.split("\\.");
            if (parts.length != 2) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Cursor(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS), Long.parseLong(parts[1])));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** @param next the cursor of the next page, empty on the last one */
    public record Page(List<Stored> events, Optional<Cursor> next) {
    }

    private final DataSource dataSource;

    public AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Page page(Filter f) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM core.audit_event WHERE practice_id = ?");
        List<Object> params = new ArrayList<>(List.of(f.practiceId()));
        if (f.patientId() != null) {
            sql.append(" AND (patient_id = ? OR patient_ids @> ARRAY[?::uuid])");
            params.add(f.patientId());
            params.add(f.patientId());
        }
        if (f.staffId() != null) {
            sql.append(" AND staff_id = ?");
            params.add(f.staffId());
        }
        if (f.from() != null) {
            sql.append(" AND at >= ?");
            params.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND at < ?");
            params.add(Timestamp.from(f.to()));
        }
        if (f.after() != null) {
            sql.append(" AND (at, id) < (?, ?)");
            params.add(Timestamp.from(f.after().at()));
            params.add(f.after().id());
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT ?");
        params.add(f.limit() + 1);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<Stored> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(stored(rs));
                }
            }
            if (events.size() <= f.limit()) {
                return new Page(events, Optional.empty());
            }
            events.remove(events.size() - 1);
            Stored last = events.get(events.size() - 1);
            return new Page(events, Optional.of(new Cursor(last.event().at(), last.id())));
        }
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        Array ids = rs.getArray(11);
        List<UUID> patientIds = ids == null ? null : Arrays.asList((UUID[]) ids.getArray());
        AuditEvent e = new AuditEvent(rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getObject(4, UUID.class), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8), rs.getObject(9, UUID.class), rs.getObject(10, UUID.class), patientIds,
                rs.getString(12));
        return new Stored(rs.getLong(1), e);
    }
}
