package health.careloop.ingest.storage;

import health.careloop.common.db.Database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Test helper: one month's reading partition, patient by patient in physical (heap) order, to see what a rewrite left. */
public final class HeapOrder {
    private HeapOrder() {
    }

    public static List<UUID> of(Database database, YearMonth month) throws SQLException {
        String partition = "ingest.reading_%d_%02d".formatted(month.getYear(), month.getMonthValue());
        List<UUID> order = new ArrayList<>();
        try (Connection c = database.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT patient_id FROM " + partition + " ORDER BY ctid")) {
            while (rs.next()) {
                order.add(rs.getObject(1, UUID.class));
            }
        }
        return order;
    }
}
