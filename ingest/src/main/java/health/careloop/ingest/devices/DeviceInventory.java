package health.careloop.ingest.devices;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The devices of a practice as the care team sees them: who has each one now, when it last measured, and whether it
 * has gone silent. Blocking JDBC: call from worker threads.
 */
public final class DeviceInventory {
    /** How far back the newest reading is looked for; older means "not in the last 90 days". */
    public static final Duration LOOK_BACK = Duration.ofDays(90);
    /** The clinical default of the no-data rule (missed.no_data_days): three whole days without a reading. */
    public static final Duration SILENT_AFTER = Duration.ofDays(3);

    private static final String SQL = sql("/sql/ingest/device-inventory.sql");

    /**
     * @param patientId       null when the device is in stock (not assigned now)
     * @param lastMeasuredAt  null when nothing was measured within {@link #LOOK_BACK}
     */
    public record Item(String deviceId, DeviceKind kind, String model, Instant registeredAt, UUID patientId, Instant assignedSince,
                       Instant lastMeasuredAt, Instant lastReceivedAt) {
        /** An assigned device with no reading for {@link #SILENT_AFTER}: the patient may have stopped measuring, or the device failed. */
        public boolean silent(Instant now) {
            if (patientId == null) {
                return false;
            }
            Instant since = lastMeasuredAt != null ? lastMeasuredAt : assignedSince;
            return since.plus(SILENT_AFTER).isBefore(now);
        }
    }

    private final DataSource dataSource;

    public DeviceInventory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<Item> of(UUID practiceId, UUID patientId, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setTimestamp(1, Timestamp.from(now.minus(LOOK_BACK)));
            // Devices measure up to 5 minutes ahead of our clock (DESIGN: measured_in_future).
            ps.setTimestamp(2, Timestamp.from(now.plus(Duration.ofMinutes(10))));
            ps.setObject(3, practiceId);
            ps.setObject(4, patientId);
            ps.setObject(5, patientId);
            List<Item> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new Item(rs.getString(1), DeviceKind.fromWire(rs.getString(2)).orElseThrow(), rs.getString(3),
                            instant(rs, 4), rs.getObject(5, UUID.class), instant(rs, 6), instant(rs, 7), instant(rs, 8)));
                }
            }
            return items;
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String sql(String path) {
        try (InputStream in = DeviceInventory.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
