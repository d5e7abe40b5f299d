-- The month close writes about a million claim lines and reasons for 100,000 patients. Per-row foreign-key triggers
-- (one lookup per row and key) were a third of its time (bench month-close: 2 keys x 1.2 million rows, ~7 us each).
-- The same references are now checked once per statement over its new rows (a transition table), as one anti-join.
-- The other direction of the foreign keys: a month close is final (invariant 5) and can no longer be deleted or
-- re-keyed, and a patient with claim lines also has the consent, enrolment and ledger rows that reference core.patient.

ALTER TABLE claim_line DROP CONSTRAINT claim_line_practice_id_month_fkey;
ALTER TABLE claim_line DROP CONSTRAINT claim_line_patient_id_fkey;
ALTER TABLE code_not_billed DROP CONSTRAINT code_not_billed_practice_id_month_fkey;
ALTER TABLE code_not_billed DROP CONSTRAINT code_not_billed_patient_id_fkey;

CREATE FUNCTION close_rows_reference_a_closed_month_and_a_patient() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n
               WHERE NOT EXISTS (SELECT 1 FROM billing.month_close m WHERE m.practice_id = n.practice_id AND m.month = n.month)) THEN
        RAISE EXCEPTION 'a row of %.% names a month that is not closed', TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM core.patient p WHERE p.id = n.patient_id)) THEN
        RAISE EXCEPTION 'a row of %.% names a patient that does not exist', TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER claim_line_references_on_insert AFTER INSERT ON claim_line REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION close_rows_reference_a_closed_month_and_a_patient();
CREATE TRIGGER claim_line_references_on_update AFTER UPDATE ON claim_line REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION close_rows_reference_a_closed_month_and_a_patient();
CREATE TRIGGER code_not_billed_references_on_insert AFTER INSERT ON code_not_billed REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION close_rows_reference_a_closed_month_and_a_patient();
CREATE TRIGGER code_not_billed_references_on_update AFTER UPDATE ON code_not_billed REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION close_rows_reference_a_closed_month_and_a_patient();

CREATE FUNCTION month_close_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a month close is final; corrections after it are ledger adjustments' USING ERRCODE = 'foreign_key_violation';
END
$$;
CREATE TRIGGER month_close_final BEFORE DELETE OR UPDATE OF practice_id, month ON month_close
    FOR EACH ROW EXECUTE FUNCTION month_close_is_final();
