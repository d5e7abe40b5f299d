package health.careloop.ingest.devices;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Device → patient lookups for ingest, kept in memory so a reading costs no query of its own. Misses and stale
 * entries of a whole batch are loaded with one query. Changes made through this process's API invalidate at once;
 * changes made through another process are seen within {@link #KNOWN_TTL} (unknown devices within {@link #UNKNOWN_TTL},
 * so a device registered just before its first reading is not dead-lettered for long).
 */
public final class DeviceDirectory {
    static final Duration KNOWN_TTL = Duration.ofSeconds(30);
    static final Duration UNKNOWN_TTL = Duration.ofSeconds(2);

    private record Entry(Optional<DeviceRecord> device, long expiresAtNanos) {
    }

    private final DeviceRegistry registry;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public DeviceDirectory(DeviceRegistry registry) {
        this.registry = registry;
    }

    public Map<String, Optional<DeviceRecord>> resolve(Connection c, Set<String> deviceIds) throws SQLException {
        long now = System.nanoTime();
        Map<String, Optional<DeviceRecord>> result = new HashMap<>(deviceIds.size() * 2);
        Set<String> toLoad = new HashSet<>();
        for (String id : deviceIds) {
            Entry entry = cache.get(id);
            if (entry != null && entry.expiresAtNanos - now > 0) {
                result.put(id, entry.device);
            } else {
                toLoad.add(id);
            }
        }
        if (!toLoad.isEmpty()) {
            Map<String, DeviceRecord> loaded = registry.load(c, toLoad);
            for (String id : toLoad) {
                Optional<DeviceRecord> device = Optional.ofNullable(loaded.get(id));
                long ttl = (device.isPresent() ? KNOWN_TTL : UNKNOWN_TTL).toNanos();
                cache.put(id, new Entry(device, now + ttl));
                result.put(id, device);
            }
        }
        return result;
    }

    public void invalidate(String deviceId) {
        cache.remove(deviceId);
    }

    public int size() {
        return cache.size();
    }
}
