package health.careloop.ingest.mqtt;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The readings topic of payload version 1: {@code rpm/v1/devices/{deviceId}/readings}. */
public final class DeviceTopic {
    private static final Pattern TOPIC = Pattern.compile("rpm/v1/devices/([A-Za-z0-9._-]{1,64})/readings");

    private DeviceTopic() {
    }

    public static Optional<String> deviceId(String topic) {
        Matcher m = TOPIC.matcher(topic);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public static String of(String deviceId) {
        return "rpm/v1/devices/" + deviceId + "/readings";
    }
}
