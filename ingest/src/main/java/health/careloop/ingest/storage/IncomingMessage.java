package health.careloop.ingest.storage;

import health.careloop.ingest.payload.DecodedMessage;

import java.time.Instant;

/** One delivered MQTT message after decoding: what the writer stores or dead-letters, all or nothing per batch. */
public record IncomingMessage(String topic, String deviceId, Instant receivedAt, byte[] payload, DecodedMessage decoded) {
}
