-- Ingest's liveness probe through the broker (BrokerCanary): each ingest process publishes a canary message to the
-- readings topic every few seconds; whichever process of the shared-subscription group receives one records it here,
-- so its sender can tell that the group still receives what the broker accepts. One row per sender. No PHI.
CREATE TABLE ingest.broker_canary (
    sender      text        PRIMARY KEY,
    seq         bigint      NOT NULL,
    received_by text        NOT NULL,
    received_at timestamptz NOT NULL
);
