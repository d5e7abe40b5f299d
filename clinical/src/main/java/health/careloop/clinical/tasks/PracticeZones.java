package health.careloop.clinical.tasks;

import health.careloop.common.directory.Directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every practice's time zone as two parallel arrays, for the scheduled task statements that work out local dates of
 * all practices at once ({@code JOIN unnest(?::uuid[], ?::text[]) AS p (id, time_zone)}): the zones are core's, read
 * through common's {@link Directory}, so this tier's SQL names only its own schema.
 */
final class PracticeZones {
    private PracticeZones() {
    }

    /** Binds the practice ids and their zone names to parameters {@code index} and {@code index + 1}. */
    static void bind(Connection c, PreparedStatement ps, int index) throws SQLException {
        Map<UUID, ZoneId> zones = Directory.timeZones(c);
        List<UUID> ids = new ArrayList<>(zones.size());
        List<String> names = new ArrayList<>(zones.size());
        zones.forEach((id, zone) -> {
            ids.add(id);
            names.add(zone.getId());
        });
        ps.setArray(index, c.createArrayOf("uuid", ids.toArray()));
        ps.setArray(index + 1, c.createArrayOf("text", names.toArray()));
    }
}
