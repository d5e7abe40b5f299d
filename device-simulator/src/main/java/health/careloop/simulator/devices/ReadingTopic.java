package health.careloop.simulator.devices;

/** The MQTT topic contract of DESIGN.md, version 1. */
public final class ReadingTopic {
    public static final String ALL_DEVICES_FILTER = "rpm/v1/devices/+/readings";

    private ReadingTopic() {
    }

    public static String forDevice(String deviceId) {
        return "rpm/v1/devices/" + deviceId + "/readings";
    }

    /** The device id a topic names, or null when the topic is not a readings topic. */
    public static String deviceIdOf(String topic) {
        String prefix = "rpm/v1/devices/";
        String suffix = "/readings";
        if (!topic.startsWith(prefix) || !topic.endsWith(suffix) || topic.length() <= prefix.length() + suffix.length()) {
            return null;
        }
        return topic.substring(prefix.length(), topic.length() - suffix.length());
    }
}
