-- Alerts raised by the rules (issue 4). Uniqueness lives in the schema, not in a SELECT-then-INSERT (STYLE.md,
-- ThingsBoard): at most one unresolved alert per (patient, rule), enforced by a partial unique index that the
-- evaluator targets with INSERT ... ON CONFLICT, so a new matching reading is absorbed into the open alert.

CREATE TABLE alert (
    id                  uuid PRIMARY KEY,
    practice_id         uuid NOT NULL REFERENCES core.practice (id),
    patient_id          uuid NOT NULL REFERENCES core.patient (id),
    rule_id             text NOT NULL,
    severity            text NOT NULL CHECK (severity IN ('critical', 'high', 'low')),
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'escalated', 'resolved')),
    message             text NOT NULL,
    -- Scheduled rules (missed readings) name the episode they report (the last data day, the P30 period), so a
    -- resolved alert is not raised again every 15 minutes for the same gap; reading rules leave it NULL.
    episode_key         text,
    raised_at           timestamptz NOT NULL DEFAULT now(),
    last_seen_at        timestamptz NOT NULL DEFAULT now(),
    -- How many evaluated readings (or scheduled findings with new readings) fed this alert.
    occurrence_count    integer NOT NULL DEFAULT 1,
    acknowledged_by     text,
    acknowledged_at     timestamptz,
    escalated_by        text,
    escalated_at        timestamptz,
    escalation_reason   text,
    resolved_by         text,
    resolved_at         timestamptz,
    outcome             text CHECK (length(outcome) <= 4000)
);
CREATE UNIQUE INDEX alert_one_unresolved ON alert (patient_id, rule_id) WHERE status IN ('open', 'acknowledged', 'escalated');
CREATE UNIQUE INDEX alert_episode ON alert (patient_id, rule_id, episode_key) WHERE episode_key IS NOT NULL;
CREATE INDEX alert_practice_status ON alert (practice_id, status, raised_at);
CREATE INDEX alert_patient ON alert (patient_id, raised_at);
-- The escalation check scans open critical alerts only.
CREATE INDEX alert_unacknowledged_critical ON alert (raised_at) WHERE status = 'open' AND severity = 'critical';

-- The readings behind an alert, by the reading's identity (DESIGN.md: device_id, type, measured_at).
-- triggered = this reading's evaluation raised or fed the alert; a reading triggers a rule at most once, ever
-- (invariant 2: replaying the stream raises nothing twice), which the partial unique index enforces.
CREATE TABLE alert_reading (
    alert_id     uuid NOT NULL REFERENCES alert (id),
    patient_id   uuid NOT NULL,
    rule_id      text NOT NULL,
    device_id    text NOT NULL,
    type         text NOT NULL,
    measured_at  timestamptz NOT NULL,
    triggered    boolean NOT NULL,
    added_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (alert_id, device_id, type, measured_at)
);
CREATE UNIQUE INDEX alert_reading_trigger ON alert_reading (patient_id, rule_id, device_id, type, measured_at) WHERE triggered;
