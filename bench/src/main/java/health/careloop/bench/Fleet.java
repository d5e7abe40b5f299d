package health.careloop.bench;

import health.careloop.common.db.Database;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Practice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Patients with one blood-pressure cuff each, registered and assigned so that their readings are stored. */
final class Fleet {
    private Fleet() {
    }

    /**
     * Registers {@code size} patients and cuffs in one UTC practice; returns a file with one device id per line.
     * Set-based (three INSERT … SELECT): registering through the API, one patient at a time, took 20 minutes for
     * 100,000 on a busy machine. Ingest learns the devices as it would after any registration: from its device
     * directory's first lookup.
     */
    static Path register(Database database, int size) throws Exception {
        Practice practice = new Directory(database.dataSource()).createPractice("Benchmark practice", ZoneOffset.UTC);
        List<String> lines = new ArrayList<>(size);
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            MonthCloseSeed.run(c, "INSERT INTO core.patient (id, practice_id, external_ref) "
                    + "SELECT gen_random_uuid(), ?, 'BENCH-' || lpad(g::text, 6, '0') FROM generate_series(0, ? - 1) g", practice.id(), size);
            MonthCloseSeed.run(c, "INSERT INTO ingest.device (device_id, practice_id, kind, model) "
                    + "SELECT 'bench-bp-' || substr(external_ref, 7), practice_id, 'blood_pressure_cuff', 'bench cuff' FROM core.patient WHERE practice_id = ?",
                    practice.id());
            MonthCloseSeed.run(c, "INSERT INTO ingest.device_assignment (device_id, practice_id, patient_id, valid_from) "
                    + "SELECT 'bench-bp-' || substr(external_ref, 7), practice_id, id, now() - interval '1 day' FROM core.patient WHERE practice_id = ?",
                    practice.id());
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM ingest.device WHERE practice_id = ? ORDER BY device_id")) {
                ps.setObject(1, practice.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
            c.commit();
        }
        Path file = Files.createTempFile("careloop-bench-devices", ".txt");
        Files.write(file, lines);
        file.toFile().deleteOnExit();
        return file;
    }
}
