-- Who entered a time entry (issue 14). A person logs and corrects their own time; a care coordinator or an
-- administrator may enter or correct a colleague's (transcribing a paper log), and the entry says so. created_by keeps
-- the actor as before; entered_by names the person, typed, so the ledger and the web app can show it.
ALTER TABLE time_entry ADD COLUMN entered_by uuid REFERENCES core.staff_user (id);
UPDATE time_entry SET entered_by = substring(created_by FROM 7)::uuid
WHERE created_by ~ '^staff:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
