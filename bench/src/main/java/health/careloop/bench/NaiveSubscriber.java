package health.careloop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.careloop.common.config.MqttConfig;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.messages.MqttPublishMessage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The naive baseline: what a first attempt looks like. Same client and subscription as the reference, but each message
 * is parsed and written with its own INSERT in autocommit mode (one commit, so one WAL flush, per reading) before its
 * acknowledgement, one at a time. Devices are looked up in a map loaded at start. It writes only the reading row (no
 * data-day rollup, no evaluation queue, no validation beyond parsing): it does less than ingest per reading.
 * The practice of the benchmark is in UTC, so local_date is the UTC date.
 */
final class NaiveSubscriber implements Subscriber {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = """
            INSERT INTO ingest.reading (device_id, type, measured_at, practice_id, patient_id, local_date,
                                        measured_offset_minutes, received_at, systolic, diastolic, pulse, unit, loinc)
            VALUES (?, 'blood_pressure', ?, ?, ?, ?, 0, now(), ?, ?, ?, 'mmHg', '85354-9')
            ON CONFLICT DO NOTHING""";

    private record Owner(UUID practiceId, UUID patientId) {
    }

    private final BenchDatabase database;
    private final AtomicLong consumed = new AtomicLong();
    private Vertx vertx;
    private Connection connection;
    private PreparedStatement insert;

    NaiveSubscriber(BenchDatabase database) {
        this.database = database;
    }

    @Override
    public void start(MqttConfig broker) throws SQLException {
        Map<String, Owner> owners = new HashMap<>();
        connection = database.connect();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT device_id, practice_id, patient_id FROM ingest.device_assignment WHERE valid_to IS NULL")) {
            while (rs.next()) {
                owners.put(rs.getString(1), new Owner(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class)));
            }
        }
        connection.setAutoCommit(true);
        insert = connection.prepareStatement(INSERT);
        vertx = Vertx.vertx();
        MqttClient client = MqttClient.create(vertx, CountingSubscriber.options());
        client.publishHandler(message -> vertx.executeBlocking(() -> store(message, owners), true)
                .onSuccess(v -> {
                    message.ack();
                    consumed.incrementAndGet();
                })
                .onFailure(e -> System.err.println("naive subscriber: " + e)));
        client.connect(broker.port(), broker.host())
                .compose(ack -> client.subscribe(Subscriber.subscription(broker), MqttQoS.AT_LEAST_ONCE.value()))
                .await();
    }

    private Void store(MqttPublishMessage message, Map<String, Owner> owners) throws Exception {
        String topic = message.topicName();
        String deviceId = topic.substring("rpm/v1/devices/".length(), topic.length() - "/readings".length());
        JsonNode node = JSON.readTree(message.payload().getBytes());
        Instant measuredAt = Instant.parse(node.get("measuredAt").asText());
        Owner owner = owners.get(deviceId);
        insert.setString(1, deviceId);
        insert.setTimestamp(2, Timestamp.from(measuredAt));
        insert.setObject(3, owner.practiceId());
        insert.setObject(4, owner.patientId());
        insert.setObject(5, measuredAt.atOffset(ZoneOffset.UTC).toLocalDate());
        insert.setInt(6, node.get("systolic").asInt());
        insert.setInt(7, node.get("diastolic").asInt());
        insert.setInt(8, node.get("pulse").asInt());
        insert.executeUpdate();
        return null;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().await();
            vertx = null;
        }
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // Closing anyway.
        }
        connection = null;
    }

    @Override
    public long consumed() {
        return consumed.get();
    }
}
