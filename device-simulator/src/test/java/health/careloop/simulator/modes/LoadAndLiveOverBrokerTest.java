package health.careloop.simulator.modes;

import health.careloop.simulator.devices.ContractCheck.Verdict;
import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.faults.FaultPlan;
import health.careloop.simulator.mqtt.BrokerSettings;
import health.careloop.simulator.mqtt.DeviceConnections;
import health.careloop.simulator.mqtt.ReadingsSubscriber;
import health.careloop.simulator.physiology.PatientFactory;
import health.careloop.simulator.physiology.SimulatedPatient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(60)
class LoadAndLiveOverBrokerTest {
    private static final ZoneId ZONE = ZoneId.of("America/Chicago");

    @Test
    void loadRunHoldsItsRateAndEveryReadingHasItsOwnIdentity() throws Exception {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
        List<SimulatedDevice> devices = new PatientFactory(3, ZONE, java.time.LocalDate.now(ZONE), 1, prefix).create(10)
                .stream().flatMap(p -> p.devices().stream()).toList();
        try (ReadingsSubscriber subscriber = new ReadingsSubscriber(prefix + "-");
             DeviceConnections connections = DeviceConnections.open(BrokerSettings.anonymous(ReadingsSubscriber.BROKER, 3), prefix)) {
            LoadRun.LoadReport report = new LoadRun(devices, ZONE, 1000, Duration.ofSeconds(2), 1, 3)
                    .run(connections.shared(), Duration.ofSeconds(10));

            assertThat(report.sent()).isCloseTo(2000, within(150L));
            assertThat(report.acknowledged()).isEqualTo(report.sent());
            assertThat(report.failed()).isZero();
            assertThat(report.achievedRate()).isCloseTo(1000, within(150.0));
            assertThat(report.latency().count()).isEqualTo((int) report.acknowledged());
            assertThat(report.latency().p50Ms()).isLessThanOrEqualTo(report.latency().p99Ms());
            assertThat(subscriber.awaitMessages(report.acknowledged(), Duration.ofSeconds(10))).isEqualTo((int) report.acknowledged());
            assertThat(subscriber.check().count(Verdict.STORED)).isEqualTo((int) report.acknowledged());
        }
    }

    @Test
    void acceleratedLiveRunSendsADayInSecondsAndNothingInTheFuture() throws Exception {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
        Clock real = Clock.systemUTC();
        Duration runFor = Duration.ofSeconds(3);
        double speed = 28_800; // a day in 3 seconds
        SimulationClock clock = SimulationClock.catchingUpWithNow(real, runFor, speed);
        List<SimulatedPatient> patients = new PatientFactory(8, ZONE, clock.simStart().atZone(ZONE).toLocalDate(), 1, prefix).create(12);
        Instant simEnd = clock.simStart().plus(clock.simDurationOf(runFor));

        SendCounts counts = new SendCounts();
        try (ReadingsSubscriber subscriber = new ReadingsSubscriber(prefix + "-");
             DeviceConnections connections = DeviceConnections.open(BrokerSettings.anonymous(ReadingsSubscriber.BROKER, 2), prefix)) {
            MessageSender sender = new MessageSender(connections, counts, real);
            SendCounts.SendReport report = new LiveRun(patients, clock, simEnd, FaultPlan.NONE, 8, 1)
                    .run(sender, counts, new PrintStream(OutputStream.nullOutputStream()), Duration.ofSeconds(10));

            assertThat(report.valid()).isGreaterThan(12).isEqualTo(report.messages());
            assertThat(subscriber.awaitMessages(report.messages(), Duration.ofSeconds(10))).isEqualTo((int) report.messages());
            assertThat(subscriber.check().count(Verdict.STORED)).isEqualTo(report.valid());
            assertThat(subscriber.check().count(Verdict.FUTURE)).isZero();
        }
    }
}
