package health.careloop.simulator.fleet;

import health.careloop.simulator.devices.SimulatedDevice;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static health.careloop.simulator.fleet.FleetOverBrokerTest.QUIET;
import static health.careloop.simulator.fleet.FleetOverBrokerTest.ZONE;
import static health.careloop.simulator.fleet.FleetOverBrokerTest.devices;
import static org.assertj.core.api.Assertions.assertThat;

/** Refused connections are counted by reason, retried when that can help, and reported; none is dropped silently. */
@Timeout(30)
class RefusedConnectionsTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRefusalThatCanPassIsRetriedAndOneThatCannotIsReportedAsFailed() throws Exception {
        String prefix = "r" + UUID.randomUUID().toString().substring(0, 8);
        List<SimulatedDevice> devices = devices(prefix, 20);
        Set<String> denied = Set.of(devices.get(0).deviceId(), devices.get(1).deviceId(), devices.get(2).deviceId());
        Set<String> busyOnce = ConcurrentHashMap.newKeySet();
        busyOnce.addAll(List.of(devices.get(3).deviceId(), devices.get(4).deviceId()));
        Set<String> published = ConcurrentHashMap.newKeySet();
        // A broker that denies three devices for good and is busy once for two others.
        MqttServer broker = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0))
                .endpointHandler(endpoint -> {
                    String id = endpoint.clientIdentifier();
                    if (endpoint.auth() == null || !id.equals(endpoint.auth().getUsername())) {
                        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
                    } else if (denied.contains(id)) {
                        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
                    } else if (busyOnce.remove(id)) {
                        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
                    } else {
                        endpoint.publishHandler(message -> {
                            published.add(id);
                            if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                                endpoint.publishAcknowledge(message.messageId());
                            }
                        });
                        endpoint.accept(false);
                    }
                });
        broker.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        FleetSettings settings = FleetSettings.forBroker("tcp://127.0.0.1:" + broker.actualPort(), "secret", 1, 40)
                .withConnecting(8, 3, Duration.ofSeconds(5));

        ConnectionsReport report = new ConnectionsRun(settings, devices, ZONE, 8, 1, Duration.ofSeconds(15),
                Duration.ofSeconds(2), false, prefix + "-").run(QUIET);

        assertThat(report.connectedAtSettle()).isEqualTo(17);
        assertThat(report.held()).isEqualTo(17);
        assertThat(report.connects().failed()).isEqualTo(3);
        assertThat(report.connects().refusals())
                .containsEntry("CONNECTION_REFUSED_NOT_AUTHORIZED", 3L)
                .containsEntry("CONNECTION_REFUSED_SERVER_UNAVAILABLE", 2L);
        assertThat(report.connects().retried()).isEqualTo(2);
        assertThat(report.connects().attempts()).isEqualTo(22);
        assertThat(report.connects().failedExamples())
                .containsExactlyInAnyOrderElementsOf(denied.stream().map(id -> id + ": CONNECTION_REFUSED_NOT_AUTHORIZED").toList());
        assertThat(published).hasSize(17).doesNotContainAnyElementsOf(denied);
        assertThat(report.clean()).isFalse();
        assertThat(report.describe()).contains("gave up 3").contains("CONNECTION_REFUSED_NOT_AUTHORIZED 3");
    }

    @Test
    void aBrokerThatIsNotThereFailsEveryDeviceAfterItsAttemptsAndTheRunStillEnds() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        List<SimulatedDevice> devices = devices("n" + UUID.randomUUID().toString().substring(0, 8), 10);
        FleetSettings settings = FleetSettings.forBroker("tcp://127.0.0.1:" + port, null, 1, 10)
                .withConnecting(4, 2, Duration.ofSeconds(2));

        ConnectionsReport report = new ConnectionsRun(settings, devices, ZONE, 8, 1, Duration.ofSeconds(15),
                Duration.ofMillis(100), false, "n").run(QUIET);

        assertThat(report.connectedAtSettle()).isZero();
        assertThat(report.connects().failed()).isEqualTo(10);
        assertThat(report.connects().attempts()).isEqualTo(20);
        assertThat(report.connects().retried()).isEqualTo(10);
        assertThat(report.connects().refusals()).containsEntry("TCP_CONNECT_REFUSED", 20L);
        assertThat(report.sent()).isZero();
        assertThat(report.clean()).isFalse();
    }
}
