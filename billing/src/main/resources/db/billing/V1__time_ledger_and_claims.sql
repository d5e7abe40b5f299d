-- Billing tier (issue 5): the minute ledger, month closes, claim lines and the reasons for codes not billed.

-- One row per logged interval of one staff member's work for one patient in one program (DESIGN.md invariant 3).
-- Rows are never deleted; a correction is a new row that replaces the original (replaces_entry_id), and the original
-- keeps its values with who superseded it and when (invariant 5).
CREATE TABLE time_entry (
    id                   uuid PRIMARY KEY,
    practice_id          uuid NOT NULL REFERENCES core.practice (id),
    patient_id           uuid NOT NULL REFERENCES core.patient (id),
    staff_id             uuid NOT NULL REFERENCES core.staff_user (id),
    -- The role at the time of the work: the rules (billing-rules.md 2.1) look at who did it then, not now.
    staff_role           text NOT NULL CHECK (staff_role IN ('rn', 'lpn', 'ma', 'care_coordinator', 'physician', 'npp')),
    program              text NOT NULL CHECK (program IN ('rpm', 'ccm')),
    activity             text NOT NULL CHECK (activity IN ('data_review', 'patient_call', 'medication_reconciliation', 'care_coordination',
                                                          'care_plan_update', 'other')),
    started_at           timestamptz NOT NULL,
    -- NULL while a timer runs.
    ended_at             timestamptz CHECK (ended_at IS NULL OR ended_at > started_at),
    interactive          boolean NOT NULL DEFAULT false,
    interaction_mode     text CHECK (interaction_mode IN ('phone', 'video', 'messaging')),
    note                 text CHECK (length(note) <= 4000),
    task_id              uuid REFERENCES clinical.task (id),
    created_by           text NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    replaces_entry_id    uuid REFERENCES time_entry (id),
    adjust_reason        text CHECK (length(adjust_reason) <= 2000),
    adjusted_after_close boolean NOT NULL DEFAULT false,
    superseded_by_entry  uuid REFERENCES time_entry (id),
    superseded_by        text,
    superseded_at        timestamptz,
    CHECK (interactive = (interaction_mode IS NOT NULL))
);
CREATE INDEX time_entry_staff_time ON time_entry (staff_id, started_at) WHERE superseded_by_entry IS NULL;
CREATE INDEX time_entry_patient_time ON time_entry (patient_id, started_at) WHERE superseded_by_entry IS NULL;
CREATE INDEX time_entry_practice_time ON time_entry (practice_id, started_at) WHERE superseded_by_entry IS NULL;
-- One running timer per staff member.
CREATE UNIQUE INDEX time_entry_one_running_timer ON time_entry (staff_id) WHERE ended_at IS NULL AND superseded_by_entry IS NULL;
-- A row is replaced at most once.
CREATE UNIQUE INDEX time_entry_replaced_once ON time_entry (replaces_entry_id) WHERE replaces_entry_id IS NOT NULL;

-- A closed billing month of a practice (month = its first day, in the practice's zone). Closing twice changes nothing.
CREATE TABLE month_close (
    practice_id  uuid NOT NULL REFERENCES core.practice (id),
    month        date NOT NULL CHECK (extract(day FROM month) = 1),
    closed_by    text NOT NULL,
    closed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (practice_id, month)
);

-- A billed line, justified by the rules engine (invariant 4). period_end is the P30's last day for 99453/99454/99445/99091
-- and the calendar month's last day for the time codes, so a code appears once per patient and period.
CREATE TABLE claim_line (
    id                       uuid PRIMARY KEY,
    practice_id              uuid NOT NULL,
    month                    date NOT NULL,
    patient_id               uuid NOT NULL REFERENCES core.patient (id),
    program                  text NOT NULL CHECK (program IN ('rpm', 'ccm')),
    code                     text NOT NULL,
    units                    integer NOT NULL CHECK (units BETWEEN 1 AND 99),
    date_of_service          date NOT NULL,
    period_start             date NOT NULL,
    period_end               date NOT NULL,
    diagnoses                text[] NOT NULL CHECK (cardinality(diagnoses) BETWEEN 1 AND 12),
    billing_practitioner_id  uuid NOT NULL,
    billing_npi              text NOT NULL CHECK (billing_npi ~ '^[0-9]{10}$'),
    place_of_service         text NOT NULL CHECK (place_of_service ~ '^[0-9]{2}$'),
    charge                   numeric(10, 2) NOT NULL CHECK (charge >= 0),
    minutes_counted          integer,
    data_days                integer,
    justification            text NOT NULL,
    FOREIGN KEY (practice_id, month) REFERENCES month_close (practice_id, month),
    UNIQUE (practice_id, month, patient_id, code, period_end)
);
CREATE INDEX claim_line_patient ON claim_line (patient_id, code);

-- Every code considered for a patient and period and not billed, with a reason a billing clerk understands.
CREATE TABLE code_not_billed (
    practice_id  uuid NOT NULL,
    month        date NOT NULL,
    patient_id   uuid NOT NULL REFERENCES core.patient (id),
    code         text NOT NULL,
    period_end   date NOT NULL,
    reason       text NOT NULL,
    FOREIGN KEY (practice_id, month) REFERENCES month_close (practice_id, month),
    PRIMARY KEY (practice_id, month, patient_id, code, period_end)
);
