package health.careloop.platform.config;

import java.util.Optional;

/**
 * Who may use the embedded broker (CARELOOP_EMBEDDED_MQTT_AUTH, CARELOOP_EMBEDDED_MQTT_SIMULATOR_PASSWORD).
 *
 * @param deviceCredentials devices sign in with their id and issued password and publish only their own topic
 *                          ("devices", the default); false lets anyone publish anywhere ("off": benchmarks only)
 * @param simulatorPassword when set, the demo simulator's account may publish for every device
 */
public record EmbeddedBrokerAccess(boolean deviceCredentials, Optional<String> simulatorPassword) {
    @Override
    public String toString() {
        return "EmbeddedBrokerAccess[deviceCredentials=" + deviceCredentials + ", simulator=" + simulatorPassword.isPresent() + "]";
    }
}
