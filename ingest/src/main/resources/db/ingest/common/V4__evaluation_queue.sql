-- V4 (after the TimescaleDB V3 aggregate): same on both storage modes.
-- Readings committed but not yet evaluated by the clinical tier. Ingest adds a row in the same statement (and so the
-- same transaction) that stores a new reading; the clinical evaluator deletes rows in the transaction that records
-- what they caused. A clinical outage therefore delays alerts but loses none, and nothing is evaluated twice.
-- (A cursor on received_at or a sequence could skip rows whose transaction commits late; a queue cannot.)
CREATE TABLE evaluation_queue (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id  uuid NOT NULL,
    patient_id   uuid NOT NULL,
    device_id    text NOT NULL,
    type         text NOT NULL,
    measured_at  timestamptz NOT NULL,
    queued_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluation_queue_patient ON evaluation_queue (patient_id, measured_at);
