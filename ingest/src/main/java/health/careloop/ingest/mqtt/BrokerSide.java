package health.careloop.ingest.mqtt;

import io.vertx.mqtt.messages.MqttPublishMessage;

/**
 * What the ingest pipeline asks of its broker connection: acknowledge a message on the connection that delivered it,
 * stop and resume reading the socket (flow control), and let go of the broker while the database is down.
 * {@link BrokerConnection} in production; a fake in the pipeline's unit tests.
 */
public interface BrokerSide {
    /** False when the connection of {@code generation} is gone (the broker redelivers) or the message needs no ack. */
    boolean ack(MqttPublishMessage message, long generation);

    /** Stops reading the broker's socket; false when it cannot (no connection). */
    boolean pauseReading();

    void resumeReading();

    boolean isReadingPaused();

    /** Disconnects and stays away until {@link #resume()}: the broker keeps what arrives meanwhile. */
    void suspend(String why);

    void resume();
}
