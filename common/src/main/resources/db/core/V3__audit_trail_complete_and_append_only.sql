-- The audit trail answers an auditor (issue 14): which patients a list or an export named, whose account a sign-in was
-- for, what a refused call asked for, and from where. And nobody changes it: the database refuses UPDATE, DELETE and
-- TRUNCATE itself, whoever asks, besides the privileges taken away below.

ALTER TABLE audit_event
    -- The staff member who called (or, for a sign-in, whose account it was for); NULL for the API token and strangers.
    ADD COLUMN staff_id        uuid,
    -- Every other patient whose data the answer or the file held (list views, exports): one row per request, not one
    -- per patient, because the list views are read all day.
    ADD COLUMN patient_ids     uuid[],
    -- The query string as sent (percent-encoded), so a refused or a filtered call says what was asked for.
    ADD COLUMN query           text CHECK (length(query) <= 2000),
    ADD COLUMN client_address  text CHECK (length(client_address) <= 64);

COMMENT ON COLUMN audit_event.practice_id IS
    'The practice whose record was addressed (even when the call was refused); otherwise the caller''s own practice';
COMMENT ON COLUMN audit_event.outcome IS 'HTTP status answered; 499 when the connection ended before the answer';

-- The reading API (AuditLog): a practice's events newest first, by date range, staff member or patient.
CREATE INDEX audit_event_practice_at ON audit_event (practice_id, at DESC, id DESC);
CREATE INDEX audit_event_staff_at ON audit_event (staff_id, at DESC) WHERE staff_id IS NOT NULL;
CREATE INDEX audit_event_patient_ids ON audit_event USING gin (patient_ids) WHERE patient_ids IS NOT NULL;

-- Append-only, enforced by the database: statement-level, so even a statement that would touch no row is refused.
-- A superuser can still disable a trigger; the table owner could too, which is why the owner's privileges to change
-- rows are revoked as well (README, "Audit trail").
CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core.audit_event is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege', HINT = 'Audit events are never changed or removed.';
END
$$;
CREATE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC;
-- CareLoop's own role owns the table (it migrates it); an owner's privileges can be revoked from it too.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM CURRENT_USER;
