-- Devices may report their battery level with a reading (payload field "battery", percent 0-100; issue 6: the
-- care team sees which devices are about to stop). Nullable: most devices and older readings have none.
-- No CHECK constraint: the decoder validates, and TimescaleDB refuses new constraints on compressed hypertables.
ALTER TABLE reading ADD COLUMN battery_percent smallint;
