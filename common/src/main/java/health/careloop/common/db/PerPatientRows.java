package health.careloop.common.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Records of many patients in one query, grouped by patient: how the billing month close reads conditions, consents,
 * enrolments, visits and stays for a chunk of patients at a time.
 */
public final class PerPatientRows {
    /** Reads the current row of a result set into a record. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private PerPatientRows() {
    }

    /**
     * Runs {@code sql}, whose one parameter is the patients' ids as a {@code uuid[]} (e.g. {@code WHERE patient_id =
     * ANY (?)}), and groups the rows by {@code patientOf}, in the query's order; patients without rows are absent.
     */
    public static <T> Map<UUID, List<T>> read(Connection c, String sql, Collection<UUID> patientIds, RowReader<T> reader,
                                              Function<T, UUID> patientOf) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("uuid", patientIds.toArray()));
            Map<UUID, List<T>> result = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    T row = reader.read(rs);
                    result.computeIfAbsent(patientOf.apply(row), id -> new ArrayList<>()).add(row);
                }
            }
            return result;
        }
    }
}
