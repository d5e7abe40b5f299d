package health.careloop.bench;

import health.careloop.common.config.MqttConfig;
import health.careloop.embedded.EmbeddedBroker;
import health.careloop.testing.PrivateMosquitto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The broker of one benchmark phase, fresh for each phase: the machine's Mosquitto ({@link BenchBroker}, its own
 * process, so its CPU is measured apart) or CareLoop's embedded HiveMQ as {@code scripts/run.sh} starts it (persistent
 * sessions on disk, in this JVM: its CPU is part of the consumer JVM's column, and ingest subscribes to the readings
 * topic itself rather than through a shared subscription, as on the embedded broker in production).
 */
interface PhaseBroker extends AutoCloseable {
    enum Kind {
        MOSQUITTO("Mosquitto 2.0.11"),
        EMBEDDED("embedded HiveMQ CE");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** How subscribers reach it (a sole subscriber on the embedded broker). */
    MqttConfig mqtt();

    /** CPU the broker's own process has used, in nanoseconds; 0 when it runs inside this JVM. */
    long cpuNanos();

    static PhaseBroker start(Kind kind) throws IOException, InterruptedException {
        return kind == Kind.MOSQUITTO ? mosquitto() : embedded();
    }

    private static PhaseBroker mosquitto() throws IOException, InterruptedException {
        PrivateMosquitto broker = BenchBroker.start();
        MqttConfig mqtt = MqttConfig.fromUrl(broker.url(), null, null);
        return new PhaseBroker() {
            @Override
            public MqttConfig mqtt() {
                return mqtt;
            }

            @Override
            public long cpuNanos() {
                return BenchBroker.cpuNanos(broker);
            }

            @Override
            public void close() throws Exception {
                broker.close();
            }
        };
    }

    private static PhaseBroker embedded() throws IOException {
        Path directory = Files.createTempDirectory("careloop-bench-hivemq");
        EmbeddedBroker broker = EmbeddedBroker.start(directory, 0, true);
        MqttConfig mqtt = broker.config().asSoleSubscriber();
        return new PhaseBroker() {
            @Override
            public MqttConfig mqtt() {
                return mqtt;
            }

            @Override
            public long cpuNanos() {
                return 0;
            }

            @Override
            public void close() {
                try {
                    broker.close();
                } finally {
                    delete(directory);
                }
            }
        };
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
