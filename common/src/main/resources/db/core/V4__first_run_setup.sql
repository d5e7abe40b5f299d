-- Issue 16: the first-run setup (the web app's "Set up CareLoop", POST /api/v1/setup) makes the first practice and its
-- administrator, once. This one row is what "once" means: its primary key lets exactly one setup commit however many
-- run at the same moment, and it stays, so setup is refused for good afterwards (even were every account deactivated).
CREATE TABLE first_run_setup (
    singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    practice_id     uuid NOT NULL REFERENCES practice (id),
    admin_id        uuid NOT NULL REFERENCES staff_user (id),
    done_at         timestamptz NOT NULL DEFAULT now(),
    -- Where the setup came from (the audit trail has the same request with its address too).
    client_address  text CHECK (length(client_address) <= 100)
);
