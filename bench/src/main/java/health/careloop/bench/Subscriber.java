package health.careloop.bench;

import health.careloop.common.config.MqttConfig;

/** The receiving side of a benchmark phase: connects to the broker's shared subscription and takes readings. */
interface Subscriber {
    String SHARE_GROUP = "bench";
    String CLIENT_ID = "bench-consumer";
    String SUBSCRIPTION = "$share/" + SHARE_GROUP + "/rpm/v1/devices/+/readings";

    /**
     * The shared subscription on Mosquitto; the readings topic itself on the embedded broker, where CareLoop's ingest
     * is the sole subscriber (DESIGN.md, "Broker session and liveness").
     */
    static String subscription(MqttConfig broker) {
        return broker.soleSubscriber() ? "rpm/v1/devices/+/readings" : SUBSCRIPTION;
    }

    /** Connects (persistent session, stable client id) and subscribes; returns when messages can flow. */
    void start(MqttConfig broker) throws Exception;

    /** Disconnects abruptly; what was not acknowledged stays with the broker. */
    void stop();

    /** Messages taken and acknowledged (for ingest: readings committed) since this object was made. */
    long consumed();

    /** A progress note for the console. */
    default String diagnostics() {
        return "";
    }
}
