package health.careloop.simulator.mqtt;

import org.eclipse.paho.client.mqttv3.MqttException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections devices publish through: either a few shared ones, each device always on the same one (so a
 * device's messages keep their order), or one per device with the device id as MQTT username and client id.
 */
public final class DeviceConnections implements AutoCloseable {
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
                    connections.shared.add(MqttLink.connect(settings.url(), clientIdPrefix + "-" + run + "-" + i,
                            settings.username(), settings.password(), settings.maxInflight()));
                }
            } catch (MqttException e) {
                connections.close();
                throw e;
            }
        }
        return connections;
    }

    public synchronized MqttLink forDevice(String deviceId) throws MqttException {
        if (!settings.perDeviceCredentials()) {
            return shared.get(Math.floorMod(deviceId.hashCode(), shared.size()));
        }
        MqttLink link = perDevice.get(deviceId);
        if (link == null) {
            link = MqttLink.connect(settings.url(), deviceId, deviceId, settings.devicePassword(), settings.maxInflight());
            perDevice.put(deviceId, link);
        }
        return link;
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
