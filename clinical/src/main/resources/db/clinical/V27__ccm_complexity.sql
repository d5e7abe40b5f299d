-- Issue 16: complex CCM (99487/99489) needs medical decision making of moderate or high complexity (billing-rules.md
-- 2.1), a provider's judgement that CareLoop cannot infer from minutes or a care plan change. A provider records it per
-- patient and calendar month; recording it again for the month replaces the level (who and when are kept on the row,
-- the audit trail keeps every call).
CREATE TABLE ccm_complexity (
    id                uuid PRIMARY KEY,
    practice_id       uuid NOT NULL REFERENCES core.practice (id),
    patient_id        uuid NOT NULL REFERENCES core.patient (id),
    -- The first day of the calendar month the decision making applies to.
    month             date NOT NULL CHECK (extract(day FROM month) = 1),
    level             text NOT NULL CHECK (level IN ('moderate', 'high')),
    note              text CHECK (length(note) <= 2000),
    provider_id       uuid NOT NULL REFERENCES core.staff_user (id),
    recorded_by       text NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (patient_id, month)
);
