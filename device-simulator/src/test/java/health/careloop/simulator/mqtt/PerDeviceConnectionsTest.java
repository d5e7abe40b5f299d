package health.careloop.simulator.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class PerDeviceConnectionsTest {

    @Test
    void perDeviceConnectionsOpenInParallelOnePerDevice() throws Exception {
        String prefix = "p" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> prefix + "-bp-" + i).toList();
        BrokerSettings settings = new BrokerSettings(ReadingsSubscriber.BROKER, null, null, 1, true, null, 1, 100);
        try (DeviceConnections connections = DeviceConnections.open(settings, prefix)) {
            long start = System.nanoTime();
            List<MqttLink> links = connections.forDevices(ids, 8);
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(links).hasSize(20).doesNotHaveDuplicates().allMatch(MqttLink::isConnected);
            assertThat(connections.forDevice(ids.get(3))).isSameAs(links.get(3));
            // One after another, Paho's ~0.3 s per connect would take 6 s.
            assertThat(seconds).isLessThan(6);
        }
    }
}
