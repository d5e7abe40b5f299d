-- CCM follow-up tasks: one per alert (created or updated with it), monthly check-ins from a schedule, and tasks made
-- by hand. Time spent is recorded on the task (minutes + program) until the billing time ledger of issue 5 exists;
-- that ledger will take these as its first entries.

CREATE TABLE task (
    id                 uuid PRIMARY KEY,
    practice_id        uuid NOT NULL REFERENCES core.practice (id),
    patient_id         uuid NOT NULL REFERENCES core.patient (id),
    kind               text NOT NULL CHECK (kind IN ('alert_follow_up', 'monthly_check_in', 'manual')),
    alert_id           uuid UNIQUE REFERENCES alert (id),
    -- Scheduled tasks name their slot (e.g. the month 2026-03), so a re-run of the schedule creates nothing twice.
    schedule_key       text,
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    detail             text CHECK (length(detail) <= 4000),
    priority           text NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
    due_at             timestamptz NOT NULL,
    status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    assignee_id        uuid REFERENCES core.staff_user (id),
    -- What the time is most likely billable as: reviewing an RPM alert's readings is RPM time; care coordination is
    -- CCM time (billing-rules.md 2.4). The person completing the task says what it really was.
    suggested_program  text NOT NULL CHECK (suggested_program IN ('rpm', 'ccm')),
    minutes_spent      integer CHECK (minutes_spent BETWEEN 0 AND 600),
    time_program       text CHECK (time_program IN ('rpm', 'ccm')),
    outcome            text CHECK (length(outcome) <= 4000),
    created_by         text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    claimed_at         timestamptz,
    completed_by       text,
    completed_at       timestamptz,
    CHECK ((kind = 'alert_follow_up') = (alert_id IS NOT NULL))
);
CREATE UNIQUE INDEX task_schedule_slot ON task (patient_id, kind, schedule_key) WHERE schedule_key IS NOT NULL;
CREATE INDEX task_practice_status ON task (practice_id, status, due_at);
CREATE INDEX task_patient ON task (patient_id, created_at);
