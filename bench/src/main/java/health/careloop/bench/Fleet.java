package health.careloop.bench;

import health.careloop.common.db.Database;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.devices.DeviceRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Patients with one blood-pressure cuff each, registered and assigned so that their readings are stored. */
final class Fleet {
    private Fleet() {
    }

    /** Registers {@code size} patients and cuffs in one UTC practice; returns a file with one device id per line. */
    static Path register(Database database, int size) throws Exception {
        Directory directory = new Directory(database.dataSource());
        DeviceRegistry devices = new DeviceRegistry(database.dataSource());
        Practice practice = directory.createPractice("Benchmark practice", ZoneOffset.UTC);
        Instant from = Instant.now().minus(Duration.ofDays(1));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String id = String.format("bench-bp-%06d", i);
                String ref = String.format("BENCH-%06d", i);
                ids.add(pool.submit(() -> {
                    Patient patient = directory.createPatient(practice.id(), ref);
                    devices.register(id, practice.id(), DeviceKind.BLOOD_PRESSURE_CUFF, "bench cuff");
                    devices.assign(id, patient.id(), from, null);
                    return id;
                }));
            }
            List<String> lines = new ArrayList<>();
            for (Future<String> id : ids) {
                lines.add(id.get());
            }
            Path file = Files.createTempFile("careloop-bench-devices", ".txt");
            Files.write(file, lines);
            file.toFile().deleteOnExit();
            return file;
        } finally {
            pool.shutdown();
        }
    }
}
