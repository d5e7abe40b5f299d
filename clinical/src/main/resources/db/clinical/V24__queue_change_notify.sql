-- The care-team web app shows new and changed alerts and tasks without reloading (issue 6). Whoever writes them (the
-- evaluator, the API, the escalation check, in any process) makes PostgreSQL notify the channel with the practice id;
-- the HTTP process LISTENs and pushes to that practice's open pages. Notifications are sent at commit, only for
-- committed rows, and one per practice per transaction (PostgreSQL folds identical payloads).
CREATE FUNCTION notify_queue_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('careloop_queue', NEW.practice_id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER alert_queue_change AFTER INSERT OR UPDATE ON alert FOR EACH ROW EXECUTE FUNCTION notify_queue_change();
CREATE TRIGGER task_queue_change AFTER INSERT OR UPDATE ON task FOR EACH ROW EXECUTE FUNCTION notify_queue_change();
