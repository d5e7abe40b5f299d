package health.careloop.ingest.devices;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;

/**
 * Devices' MQTT passwords for the embedded broker: issued (or set by a provisioning system), stored only as a salted
 * SHA-256, checked at CONNECT. Issuing a new one replaces the old, so a lost or cloned device is cut off by a rotation.
 */
public final class DeviceCredentials {
    /** A chosen password must be long enough to be a machine secret, not a word. */
    public static final int MIN_CHOSEN_LENGTH = 20;

    private final DataSource dataSource;
    private final SecureRandom random = new SecureRandom();

    public DeviceCredentials(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Sets the device's password (a new random one unless {@code chosen}); empty when the device is not registered. */
    public Optional<String> issue(String deviceId, Optional<String> chosen) throws SQLException {
        String password = chosen.orElseGet(() -> {
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        });
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ingest.device SET mqtt_secret_salt = ?, mqtt_secret_hash = ?, mqtt_secret_set_at = now() WHERE device_id = ?")) {
            ps.setBytes(1, salt);
            ps.setBytes(2, hash(salt, password));
            ps.setString(3, deviceId);
            return ps.executeUpdate() == 1 ? Optional.of(password) : Optional.empty();
        }
    }

    /** Whether these are the registered device's current credentials (the embedded broker asks at CONNECT). */
    public boolean matches(String deviceId, String password) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT mqtt_secret_salt, mqtt_secret_hash FROM ingest.device WHERE device_id = ? AND mqtt_secret_hash IS NOT NULL")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && MessageDigest.isEqual(rs.getBytes(2), hash(rs.getBytes(1), password));
            }
        }
    }

    private static byte[] hash(byte[] salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
