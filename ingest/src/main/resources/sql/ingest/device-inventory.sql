-- A practice's devices with their current assignment and the newest reading measured in the look-back window.
-- Parameters: window start and end (twice: they bound the reading scans so PostgreSQL prunes partitions), practice
-- id, patient id (NULL = every device), patient id again.
SELECT d.device_id, d.kind, d.model, d.registered_at, a.patient_id, a.valid_from,
       newest.measured_at, newest.received_at, battery.battery_percent, battery.measured_at, d.mqtt_secret_set_at
FROM ingest.device d
LEFT JOIN ingest.device_assignment a
       ON a.device_id = d.device_id AND a.valid_from <= now() AND (a.valid_to IS NULL OR a.valid_to > now())
LEFT JOIN LATERAL (
    SELECT r.measured_at, r.received_at
    FROM ingest.reading r
    WHERE r.device_id = d.device_id AND r.measured_at >= ? AND r.measured_at < ?
    ORDER BY r.measured_at DESC
    LIMIT 1
) newest ON true
-- The newest reading that carried a battery level (not every reading does).
LEFT JOIN LATERAL (
    SELECT r.battery_percent, r.measured_at
    FROM ingest.reading r
    WHERE r.device_id = d.device_id AND r.measured_at >= ? AND r.measured_at < ? AND r.battery_percent IS NOT NULL
    ORDER BY r.measured_at DESC
    LIMIT 1
) battery ON true
WHERE d.practice_id = ? AND (?::uuid IS NULL OR a.patient_id = ?)
ORDER BY d.device_id
