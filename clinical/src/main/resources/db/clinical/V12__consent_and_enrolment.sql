-- Consent to a program (RPM or CCM) and enrolment in it with one billing practitioner.

-- A consent is recorded once (what the patient was told, whether they accepted) and later only revoked.
CREATE TABLE consent (
    id                      uuid PRIMARY KEY,
    practice_id             uuid NOT NULL REFERENCES core.practice (id),
    patient_id              uuid NOT NULL REFERENCES core.patient (id),
    program                 text NOT NULL CHECK (program IN ('rpm', 'ccm')),
    -- billing-rules.md 2.2 [S21]: verbal or written, documented.
    method                  text NOT NULL CHECK (method IN ('verbal', 'written')),
    obtained_on             date NOT NULL,
    obtained_by             uuid NOT NULL REFERENCES core.staff_user (id),
    -- What the patient was told (billing-rules.md 2.2 [S18][S52]; RPM: cost-sharing, 1.2 [S15]).
    told_service_available  boolean NOT NULL,
    told_cost_sharing       boolean NOT NULL,
    told_one_practitioner   boolean NOT NULL,
    told_may_stop           boolean NOT NULL,
    accepted                boolean NOT NULL,
    note                    text CHECK (length(note) <= 2000),
    recorded_by             text NOT NULL,
    recorded_at             timestamptz NOT NULL DEFAULT now(),
    -- CCM: a revocation takes effect at the end of its month (billing-rules.md 2.2); RPM: on its day.
    revoked_on              date CHECK (revoked_on >= obtained_on),
    revoked_by              text,
    revoked_at              timestamptz,
    CHECK ((revoked_on IS NULL) = (revoked_by IS NULL)),
    CHECK (program <> 'ccm' OR NOT accepted OR (told_service_available AND told_cost_sharing AND told_one_practitioner AND told_may_stop)),
    CHECK (program <> 'rpm' OR NOT accepted OR told_cost_sharing)
);
CREATE INDEX consent_patient ON consent (patient_id, program, obtained_on);

-- Enrolments of a patient in a program never overlap (one billing practitioner at a time, billing-rules.md 1.2 and
-- 2.1). Without btree_gist an exclusion constraint cannot compare uuids, so the application writes a patient's
-- enrolments one at a time under a lock on core.patient and checks the overlap in that transaction.
CREATE TABLE enrolment (
    id                       uuid PRIMARY KEY,
    practice_id              uuid NOT NULL REFERENCES core.practice (id),
    patient_id               uuid NOT NULL REFERENCES core.patient (id),
    program                  text NOT NULL CHECK (program IN ('rpm', 'ccm')),
    start_date               date NOT NULL,
    -- Inclusive; open-ended when null.
    end_date                 date CHECK (end_date >= start_date),
    billing_practitioner_id  uuid NOT NULL REFERENCES core.staff_user (id),
    -- The consent that covered the start date.
    consent_id               uuid NOT NULL REFERENCES consent (id),
    enrolled_by              text NOT NULL,
    enrolled_at              timestamptz NOT NULL DEFAULT now(),
    ended_by                 text,
    ended_at                 timestamptz
);
CREATE INDEX enrolment_patient ON enrolment (patient_id, program, start_date);
CREATE INDEX enrolment_practitioner ON enrolment (billing_practitioner_id);
