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
    /** Below this a device may stop within days: time to send a charger or batteries. */
    public static final int LOW_BATTERY_PERCENT = 20;

    private static final String SQL = sql("/sql/ingest/device-inventory.sql");

    /**
     * @param patientId       null when the device is in stock (not assigned now)
     * @param lastMeasuredAt  null when nothing was measured within {@link #LOOK_BACK}
     * @param batteryPercent  the newest level the device reported within {@link #LOOK_BACK}, null when it reported none
     * @param mqttPasswordSetAt when its MQTT password was last issued; null: it has none and cannot connect to the embedded broker
     */
    public record Item(String deviceId, DeviceKind kind, String model, Instant registeredAt, UUID patientId, Instant assignedSince,
                       Instant lastMeasuredAt, Instant lastReceivedAt, Integer batteryPercent, Instant batteryReportedAt,
                       Instant mqttPasswordSetAt) {
        public boolean batteryLow() {
            return batteryPercent != null && batteryPercent < LOW_BATTERY_PERCENT;
        }

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
            // Devices measure up to 5 minutes ahead of our clock (DESIGN: measured_in_future).
            Timestamp from = Timestamp.from(now.minus(LOOK_BACK));
            Timestamp to = Timestamp.from(now.plus(Duration.ofMinutes(10)));
            ps.setTimestamp(1, from);
            ps.setTimestamp(2, to);
            ps.setTimestamp(3, from);
            ps.setTimestamp(4, to);
            ps.setObject(5, practiceId);
            ps.setObject(6, patientId);
            ps.setObject(7, patientId);
            List<Item> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new Item(rs.getString(1), DeviceKind.fromWire(rs.getString(2)).orElseThrow(), rs.getString(3),
                            instant(rs, 4), rs.getObject(5, UUID.class), instant(rs, 6), instant(rs, 7), instant(rs, 8),
                            rs.getObject(9) == null ? null : rs.getInt(9), instant(rs, 10), instant(rs, 11)));
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
