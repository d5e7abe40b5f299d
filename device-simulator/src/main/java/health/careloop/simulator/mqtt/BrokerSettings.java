package health.careloop.simulator.mqtt;

/**
 * How devices reach the broker.
 *
 * @param url                  e.g. tcp://127.0.0.1:1883
 * @param username             for shared connections; null for anonymous
 * @param password             for shared connections
 * @param connections          shared connections that devices are spread over
 * @param perDeviceCredentials one connection per device with username = device id, as a broker with ACLs expects
 * @param devicePassword       password of every device in per-device mode; null for none
 * @param qos                  0, 1 or 2; the contract asks devices for 1
 * @param maxInflight          unacknowledged publishes per connection before a sender waits
 */
public record BrokerSettings(String url, String username, String password, int connections,
                             boolean perDeviceCredentials, String devicePassword, int qos, int maxInflight) {

    public BrokerSettings {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS is 0, 1 or 2");
        }
        if (connections < 1 || maxInflight < 1) {
            throw new IllegalArgumentException("connections and maxInflight must be positive");
        }
    }

    public static BrokerSettings anonymous(String url, int connections) {
        return new BrokerSettings(url, null, null, connections, false, null, 1, 1000);
    }
}
