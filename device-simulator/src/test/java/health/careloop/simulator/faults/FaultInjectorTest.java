package health.careloop.simulator.faults;

import health.careloop.simulator.devices.ContractCheck;
import health.careloop.simulator.devices.ContractCheck.Verdict;
import health.careloop.simulator.devices.ReadingJson;
import health.careloop.simulator.modes.BackfillRun;
import health.careloop.simulator.physiology.PatientFactory;
import health.careloop.simulator.physiology.SimulatedPatient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FaultInjectorTest {
    private static final ZoneId ZONE = ZoneId.of("America/Chicago");
    private static final LocalDate EPOCH = LocalDate.of(2026, 10, 1);
    private static final Instant FROM = EPOCH.atStartOfDay(ZONE).toInstant();
    private static final Instant TO = FROM.plus(Duration.ofDays(30));
    private static final FaultPlan FAULTS = new FaultPlan(0.05, 0.03, 0.02, 0.1, 0.1, Duration.ofHours(3), 3);

    private final List<SimulatedPatient> patients = new PatientFactory(7, ZONE, EPOCH, 30, "flt").create(60);

    @Test
    void withoutFaultsEveryReadingIsOneValidMessage() {
        List<OutgoingMessage> messages = new BackfillRun(patients, FROM, TO, FaultPlan.NONE, 7).messages();
        assertThat(messages).isNotEmpty().allMatch(m -> m.kind() == MessageKind.READING && m.readings() == 1);
        ContractCheck check = judgeAt(messages, TO);
        assertThat(check.count(Verdict.STORED)).isEqualTo(messages.size());
    }

    @Test
    void everyKindIsWhatTheReceivingSideWillMakeOfIt() {
        List<OutgoingMessage> messages = new BackfillRun(patients, FROM, TO, FAULTS, 7).messages();
        Map<MessageKind, Integer> readingsByKind = new HashMap<>();
        messages.forEach(m -> readingsByKind.merge(m.kind(), m.readings(), Integer::sum));
        // Judged as if sent long after the window, so no skewed reading is in the future.
        ContractCheck check = judgeAt(messages, TO.plus(Duration.ofDays(1)));

        assertThat(check.count(Verdict.MALFORMED)).isEqualTo(readingsByKind.get(MessageKind.MALFORMED));
        assertThat(check.count(Verdict.IMPLAUSIBLE)).isEqualTo(readingsByKind.get(MessageKind.IMPLAUSIBLE));
        assertThat(check.count(Verdict.DUPLICATE)).isEqualTo(readingsByKind.get(MessageKind.DUPLICATE));
        assertThat(check.count(Verdict.STORED)).isEqualTo(readingsByKind.get(MessageKind.READING)
                + readingsByKind.get(MessageKind.BATCH) + readingsByKind.get(MessageKind.SKEWED));
        assertThat(check.arrays()).isEqualTo(messages.stream().filter(m -> m.kind() == MessageKind.BATCH).count());
    }

    @Test
    void faultsComeInTheAskedProportions() {
        List<OutgoingMessage> messages = new BackfillRun(patients, FROM, TO, FAULTS, 7).messages();
        long singles = messages.stream().filter(m -> m.kind() != MessageKind.BATCH && m.kind() != MessageKind.SKEWED
                && m.kind() != MessageKind.DUPLICATE).count();
        assertThat(share(messages, MessageKind.MALFORMED, singles)).isCloseTo(0.03, within(0.012));
        assertThat(share(messages, MessageKind.IMPLAUSIBLE, singles)).isCloseTo(0.02, within(0.01));
        assertThat(share(messages, MessageKind.DUPLICATE, singles)).isCloseTo(0.05 * 0.95, within(0.015));
    }

    @Test
    void skewedDevicesRunAheadByTheSkewAndAreFutureOnlyNearTheEnd() {
        List<OutgoingMessage> skewed = new BackfillRun(patients, FROM, TO, FAULTS, 7).messages().stream()
                .filter(m -> m.kind() == MessageKind.SKEWED).toList();
        assertThat(skewed).isNotEmpty();
        skewed.forEach(m -> assertThat(Duration.between(m.sendAt(), m.latestMeasuredAt())).isEqualTo(Duration.ofHours(3)));
        Instant sentRightAway = TO;
        long future = skewed.stream().filter(m -> m.inFutureAt(sentRightAway)).count();
        long expected = skewed.stream().filter(m -> m.sendAt().isAfter(TO.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(5)))).count();
        assertThat(future).isEqualTo(expected);
    }

    @Test
    void offlineDevicesSendTheirBufferAsOneArrayWhenBackOnline() {
        List<OutgoingMessage> batches = new BackfillRun(patients, FROM, TO, FAULTS, 7).messages().stream()
                .filter(m -> m.kind() == MessageKind.BATCH).toList();
        assertThat(batches).isNotEmpty();
        for (OutgoingMessage batch : batches) {
            assertThat(batch.readings()).isBetween(1, ReadingJson.MAX_BATCH);
            assertThat(new String(batch.payload())).startsWith("[");
            // Sent when the device came back, after everything it measured while away.
            assertThat(batch.sendAt()).isAfterOrEqualTo(batch.latestMeasuredAt());
        }
        // Three days offline on a device that measures daily leaves a batch of several readings.
        assertThat(batches.stream().mapToInt(OutgoingMessage::readings).max().orElseThrow()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theSameSeedInjectsTheSameFaults() {
        List<OutgoingMessage> a = new BackfillRun(patients, FROM, TO, FAULTS, 7).messages();
        List<OutgoingMessage> b = new BackfillRun(patients, FROM, TO, FAULTS, 7).messages();
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).kind()).isEqualTo(b.get(i).kind());
            assertThat(Arrays.equals(a.get(i).payload(), b.get(i).payload())).isTrue();
        }
    }

    private static double share(List<OutgoingMessage> messages, MessageKind kind, long of) {
        return messages.stream().filter(m -> m.kind() == kind).count() / (double) of;
    }

    private static ContractCheck judgeAt(List<OutgoingMessage> messages, Instant now) {
        ContractCheck check = new ContractCheck();
        messages.forEach(m -> check.receive(m.deviceId(), m.payload(), now));
        return check;
    }
}
