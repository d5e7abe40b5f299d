package health.careloop.simulator.fleet;

import health.careloop.simulator.devices.ContractCheck.Verdict;
import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.mqtt.ReadingsSubscriber;
import health.careloop.simulator.physiology.PatientFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** 200 devices, each on its own connection to the machine's Mosquitto, each heard from by a subscriber. */
@Timeout(60)
class FleetOverBrokerTest {
    static final ZoneId ZONE = ZoneId.of("America/Chicago");
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static List<SimulatedDevice> devices(String prefix, int count) {
        return new PatientFactory(8, ZONE, LocalDate.now(ZONE), 1, prefix).create(count).stream()
                .flatMap(p -> p.devices().stream()).limit(count).toList();
    }

    @Test
    void everyDeviceConnectsOnItsOwnConnectionAndEveryPublishArrives() throws Exception {
        String prefix = "f" + UUID.randomUUID().toString().substring(0, 8);
        List<SimulatedDevice> devices = devices(prefix, 200);
        assertThat(devices).hasSize(200);
        // 200 msg/s over 200 devices: each publishes once a second, for a 2-second hold after all connected.
        FleetSettings settings = FleetSettings.forBroker(ReadingsSubscriber.BROKER, null, 1, 200)
                .withConnecting(32, 3, Duration.ofSeconds(10));
        try (ReadingsSubscriber subscriber = new ReadingsSubscriber(prefix + "-")) {
            ConnectionsReport report = new ConnectionsRun(settings, devices, ZONE, 8, 2, Duration.ofSeconds(30),
                    Duration.ofSeconds(2), true, prefix + "-").run(QUIET);

            assertThat(report.connectedAtSettle()).isEqualTo(200);
            assertThat(report.connects().peakOpen()).isEqualTo(200);
            assertThat(report.held()).isEqualTo(200);
            assertThat(report.connects().failed()).isZero();
            assertThat(report.sent()).isGreaterThanOrEqualTo(400);
            assertThat(report.acknowledged()).isEqualTo(report.sent());
            assertThat(report.clean()).isTrue();
            // The fleet's own counting subscriber heard every device…
            assertThat(report.devicesHeard()).isEqualTo(200);
            assertThat(report.received()).isEqualTo(report.acknowledged());
            // …and an independent one judged every payload by DESIGN.md: each a distinct, storable reading.
            subscriber.awaitMessages(report.acknowledged(), Duration.ofSeconds(10));
            assertThat(subscriber.messages()).isEqualTo((int) report.acknowledged());
            assertThat(subscriber.check().count(Verdict.STORED)).isEqualTo(subscriber.check().total());
            // A few event loops, not threads per connection.
            assertThat(report.peakThreads()).isLessThan(100);
        }
    }
}
