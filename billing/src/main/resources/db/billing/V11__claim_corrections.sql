-- Issue 18: corrections after close. A closed month's claim lines never change (invariant 5); when the month
-- recomputed with today's ledger, visits, stays and records bills something else, a biller's "recompute corrections"
-- stores one correction per claim that changed: a replacement (837P frequency 7) with the claim's lines as they now
-- are, a void (8) listing the lines it cancels, or a new claim (1) where nothing had been billed under that header.

-- One version of one claim after the close. The claim keeps its CLM01 (claim_control_number, Claim837Export); version 0
-- is the close's own lines, 1, 2, ... the corrections in order. A correction is never changed or deleted: a later one
-- supersedes it.
CREATE TABLE claim_correction (
    id                    uuid PRIMARY KEY,
    practice_id           uuid NOT NULL,
    month                 date NOT NULL,
    patient_id            uuid NOT NULL REFERENCES core.patient (id),
    claim_control_number  text NOT NULL CHECK (length(claim_control_number) BETWEEN 1 AND 20),
    version               integer NOT NULL CHECK (version >= 1),
    frequency             text NOT NULL CHECK (frequency IN ('1', '7', '8')),
    -- What changed against the version before, in words (which code and units added, removed or changed, and why).
    changes               text[] NOT NULL CHECK (cardinality(changes) >= 1),
    created_by            text NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (practice_id, month) REFERENCES month_close (practice_id, month),
    -- Two runs can never store the same version of a claim twice (they also run one at a time under the month's lock).
    UNIQUE (practice_id, month, claim_control_number, version)
);
CREATE INDEX claim_correction_month ON claim_correction (practice_id, month);

-- The lines of a correction, as claim_line holds them: the claim's lines after a replacement or a new claim, the lines
-- cancelled by a void. practice_id is here too so that row-level security (practice-isolation.sql) applies.
CREATE TABLE claim_correction_line (
    correction_id            uuid NOT NULL REFERENCES claim_correction (id),
    line_no                  integer NOT NULL CHECK (line_no >= 1),
    practice_id              uuid NOT NULL,
    code                     text NOT NULL,
    units                    integer NOT NULL CHECK (units BETWEEN 1 AND 99),
    date_of_service          date NOT NULL,
    period_start             date NOT NULL,
    period_end               date NOT NULL,
    diagnoses                text[] NOT NULL CHECK (cardinality(diagnoses) BETWEEN 1 AND 12),
    billing_practitioner_id  uuid NOT NULL,
    billing_npi              text NOT NULL CHECK (billing_npi ~ '^[0-9]{10}$'),
    place_of_service         text NOT NULL CHECK (place_of_service ~ '^[0-9]{2}$'),
    charge                   numeric(10, 2) CHECK (charge >= 0),
    minutes_counted          integer,
    data_days                integer,
    justification            text NOT NULL,
    PRIMARY KEY (correction_id, line_no)
);

CREATE FUNCTION claim_correction_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a claim correction is final; a later recompute adds the next version' USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER claim_correction_final BEFORE UPDATE OR DELETE ON claim_correction
    FOR EACH ROW EXECUTE FUNCTION claim_correction_is_final();
CREATE TRIGGER claim_correction_line_final BEFORE UPDATE OR DELETE ON claim_correction_line
    FOR EACH ROW EXECUTE FUNCTION claim_correction_is_final();
