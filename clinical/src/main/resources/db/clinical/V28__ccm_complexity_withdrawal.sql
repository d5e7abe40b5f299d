-- Issue 16: a provider may withdraw a complex-CCM record (entered for the wrong patient or month, or the judgement
-- revised on review). The row stays, marked withdrawn with who, when and why; the month close reads only the records in
-- force, and a month may get a new record after its old one was withdrawn (one in force per patient and month).
ALTER TABLE ccm_complexity
    ADD COLUMN withdrawn_at        timestamptz,
    ADD COLUMN withdrawn_by_staff  uuid REFERENCES core.staff_user (id),
    ADD COLUMN withdrawn_by        text,
    ADD COLUMN withdrawal_reason   text CHECK (length(withdrawal_reason) BETWEEN 1 AND 2000),
    ADD CONSTRAINT ccm_complexity_withdrawal_complete CHECK (
        (withdrawn_at IS NULL) = (withdrawn_by_staff IS NULL)
        AND (withdrawn_at IS NULL) = (withdrawn_by IS NULL)
        AND (withdrawn_at IS NULL) = (withdrawal_reason IS NULL));

ALTER TABLE ccm_complexity DROP CONSTRAINT ccm_complexity_patient_id_month_key;
CREATE UNIQUE INDEX ccm_complexity_in_force ON ccm_complexity (patient_id, month) WHERE withdrawn_at IS NULL;
