package health.careloop.simulator.modes;

import health.careloop.simulator.devices.ContractCheck;
import health.careloop.simulator.devices.ContractCheck.Verdict;
import health.careloop.simulator.faults.FaultPlan;
import health.careloop.simulator.mqtt.BrokerSettings;
import health.careloop.simulator.mqtt.DeviceConnections;
import health.careloop.simulator.mqtt.ReadingsSubscriber;
import health.careloop.simulator.physiology.PatientFactory;
import health.careloop.simulator.physiology.SimulatedPatient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the local Mosquitto: what the simulator counts is exactly what a subscriber receives and judges. */
@Timeout(60)
class PublishOverBrokerTest {
    private static final ZoneId ZONE = ZoneId.of("America/Chicago");
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void backfillWithFaultsCountsExactlyWhatArrives() throws Exception {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Clock.systemUTC().instant();
        // Seven days keep the run's messages (about 720) under what the machine's Mosquitto holds for one subscriber
        // (20 in flight + 1,000 queued, its defaults): ten days made about 1,025, and a fast backfill lost the excess
        // at the broker (1,020 received: a clean-clone CI failure).
        LocalDate epoch = now.atZone(ZONE).toLocalDate().minusDays(7);
        Instant from = epoch.atStartOfDay(ZONE).toInstant();
        // Which devices go offline or run a skewed clock follows their ids, and the ids carry this run's random prefix:
        // with 15 patients about one run in fifty had no offline or no skewed device (a clean-clone CI failure). 40
        // patients make that about one in fifty thousand.
        List<SimulatedPatient> patients = new PatientFactory(11, ZONE, epoch, 7, prefix).create(40);
        // A skew of 4 days puts the last days of skewed devices in the future, the earlier ones not.
        FaultPlan faults = new FaultPlan(0.05, 0.03, 0.03, 0.15, 0.15, Duration.ofDays(4), 2);

        SendCounts counts = new SendCounts();
        try (ReadingsSubscriber subscriber = new ReadingsSubscriber(prefix + "-");
             DeviceConnections connections = DeviceConnections.open(BrokerSettings.anonymous(ReadingsSubscriber.BROKER, 3), prefix)) {
            MessageSender sender = new MessageSender(connections, counts, Clock.systemUTC());
            SendCounts.SendReport report = new BackfillRun(patients, from, now, faults, 11)
                    .publish(sender, counts, QUIET, Duration.ofSeconds(20));

            assertThat(report.failedMessages()).isZero();
            assertThat(subscriber.awaitMessages(report.messages(), Duration.ofSeconds(15))).isEqualTo((int) report.messages());
            ContractCheck received = subscriber.check();
            assertThat(received.count(Verdict.STORED)).isEqualTo(report.valid());
            assertThat(received.count(Verdict.DUPLICATE)).isEqualTo(report.duplicate());
            assertThat(received.count(Verdict.MALFORMED)).isEqualTo(report.malformed());
            assertThat(received.count(Verdict.IMPLAUSIBLE)).isEqualTo(report.implausible());
            assertThat(received.count(Verdict.FUTURE)).isEqualTo(report.futureSkewed());
            assertThat(received.arrays()).isEqualTo(report.batches());
            // The run exercised every kind, or the equalities above prove little.
            assertThat(report.duplicate()).isPositive();
            assertThat(report.malformed()).isPositive();
            assertThat(report.implausible()).isPositive();
            assertThat(report.futureSkewed()).isPositive();
            assertThat(report.skewedAccepted()).isPositive();
            assertThat(report.batches()).isPositive();
        }
    }

    @Test
    void perDeviceConnectionsUseTheDeviceIdAndDeliverEverything() throws Exception {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Clock.systemUTC().instant();
        LocalDate epoch = now.atZone(ZONE).toLocalDate().minusDays(3);
        List<SimulatedPatient> patients = new PatientFactory(5, ZONE, epoch, 3, prefix).create(4);
        BrokerSettings settings = new BrokerSettings(ReadingsSubscriber.BROKER, null, null, 1, true, "unused", 1, 100);

        SendCounts counts = new SendCounts();
        try (ReadingsSubscriber subscriber = new ReadingsSubscriber(prefix + "-");
             DeviceConnections connections = DeviceConnections.open(settings, prefix)) {
            MessageSender sender = new MessageSender(connections, counts, Clock.systemUTC());
            SendCounts.SendReport report = new BackfillRun(patients, epoch.atStartOfDay(ZONE).toInstant(), now,
                    FaultPlan.NONE, 5).publish(sender, counts, QUIET, Duration.ofSeconds(20));

            assertThat(report.valid()).isPositive().isEqualTo(report.messages());
            assertThat(subscriber.awaitMessages(report.messages(), Duration.ofSeconds(10))).isEqualTo((int) report.messages());
            assertThat(subscriber.check().count(Verdict.STORED)).isEqualTo(report.valid());
        }
    }

    @Test
    void aBrokerThatIsNotThereFailsToConnectInsteadOfHanging() {
        BrokerSettings nowhere = BrokerSettings.anonymous("tcp://127.0.0.1:1", 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeviceConnections.open(nowhere, "t"))
                .isInstanceOf(org.eclipse.paho.client.mqttv3.MqttException.class);
    }
}
