package health.careloop.simulator.mqtt;

import org.eclipse.paho.client.mqttv3.MqttException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The connections devices publish through: either a few shared ones, each device always on the same one (so a
 * device's messages keep their order), or one per device with the device id as MQTT username and client id.
 */
public final class DeviceConnections implements AutoCloseable {
    /**
     * Shared connections' client ids start with this: the embedded broker lets the simulator account use only such
     * client ids, so it can never take over a device's or ingest's session.
     */
    public static final String SHARED_CLIENT_PREFIX = "careloop-sim-";
    private final BrokerSettings settings;
    private final List<MqttLink> shared = new ArrayList<>();
    private final Map<String, MqttLink> perDevice = new ConcurrentHashMap<>();

    private DeviceConnections(BrokerSettings settings) {
        this.settings = settings;
    }

    /** Opens the shared connections now; per-device connections open on a device's first message. */
    public static DeviceConnections open(BrokerSettings settings, String clientIdPrefix) throws MqttException {
        DeviceConnections connections = new DeviceConnections(settings);
        if (!settings.perDeviceCredentials()) {
            // A random part, so two simulators with the same prefix do not take each other's sessions over.
            String run = UUID.randomUUID().toString().substring(0, 8);
            try {
                for (int i = 0; i < settings.connections(); i++) {
                    connections.shared.add(MqttLink.connect(settings.url(), SHARED_CLIENT_PREFIX + clientIdPrefix + "-" + run + "-" + i,
                            settings.username(), settings.password(), settings.maxInflight()));
                }
            } catch (MqttException e) {
                connections.close();
                throw e;
            }
        }
        return connections;
    }

    public MqttLink forDevice(String deviceId) throws MqttException {
        if (!settings.perDeviceCredentials()) {
            return shared.get(Math.floorMod(deviceId.hashCode(), shared.size()));
        }
        MqttLink link = perDevice.get(deviceId);
        if (link != null) {
            return link;
        }
        // Connected outside any lock: a Paho connect takes ~0.3 s (it sleeps 100 ms after starting each of its three
        // threads), so devices connecting at the same time must not wait for each other.
        MqttLink opened = MqttLink.connect(settings.url(), deviceId, deviceId, settings.devicePassword(), settings.maxInflight());
        MqttLink raced = perDevice.putIfAbsent(deviceId, opened);
        if (raced != null) {
            opened.close();
            return raced;
        }
        return opened;
    }

    /**
     * Every device's connection, {@code concurrency} connects at a time (per-device mode; in shared mode the shared
     * connections). Fails with the first connect that failed; {@link #close()} closes the ones that opened.
     */
    public List<MqttLink> forDevices(List<String> deviceIds, int concurrency) throws MqttException, InterruptedException {
        ExecutorService connectors = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, deviceIds.size())));
        try {
            List<Future<MqttLink>> links = new ArrayList<>();
            for (String id : deviceIds) {
                links.add(connectors.submit(() -> forDevice(id)));
            }
            List<MqttLink> result = new ArrayList<>(links.size());
            for (Future<MqttLink> link : links) {
                try {
                    result.add(link.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof MqttException mqtt) {
                        throw mqtt;
                    }
                    throw new IllegalStateException("connecting a device failed", e.getCause());
                }
            }
            return result;
        } finally {
            // Queued connects are dropped; running ones end within Paho's connect timeout, before close() runs.
            connectors.shutdownNow();
            connectors.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    public List<MqttLink> shared() {
        return List.copyOf(shared);
    }

    public BrokerSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        shared.forEach(MqttLink::close);
        perDevice.values().forEach(MqttLink::close);
    }
}
