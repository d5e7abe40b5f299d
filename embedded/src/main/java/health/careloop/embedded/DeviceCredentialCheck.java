package health.careloop.embedded;

/** Whether a device id and password are a registered device's current MQTT credentials (ingest keeps them). */
@FunctionalInterface
public interface DeviceCredentialCheck {
    boolean matches(String deviceId, String password) throws Exception;
}
