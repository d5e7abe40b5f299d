package health.careloop.ingest.liveness;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where the ingest processes of one shared-subscription group tell each other which canaries arrived
 * ({@code ingest.broker_canary}): with a shared subscription the broker hands a process's canary to any member.
 */
public final class CanaryReceipts implements BrokerCanary.Receipts {
    private final DataSource dataSource;

    public CanaryReceipts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void record(String sender, long seq, String receivedBy) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     INSERT INTO ingest.broker_canary (sender, seq, received_by, received_at) VALUES (?, ?, ?, now())
                     ON CONFLICT (sender) DO UPDATE SET seq = greatest(ingest.broker_canary.seq, excluded.seq),
                         received_by = excluded.received_by, received_at = excluded.received_at""")) {
            s.setString(1, sender);
            s.setLong(2, seq);
            s.setString(3, receivedBy);
            s.executeUpdate();
        }
    }

    @Override
    public long receivedSeq(String sender) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT seq FROM ingest.broker_canary WHERE sender = ?")) {
            s.setString(1, sender);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }
}
