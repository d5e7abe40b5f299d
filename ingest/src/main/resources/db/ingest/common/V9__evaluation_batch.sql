-- Issue 19: one evaluation row per ingest batch instead of one per reading. The per-reading queue row was the most
-- expensive of ingest's side writes (BENCHMARKS.md 1); one row holding the batch's new readings as arrays costs one
-- heap tuple and one index entry per commit, whatever the batch holds.
-- The rules are V4's: ingest adds the row in the statement that stores the readings (same transaction), the clinical
-- evaluator deletes it in the transaction that records what they caused, so nothing is evaluated twice or skipped
-- across crashes. A reading the evaluator cannot take yet (its patient held by another evaluator) goes back in a new
-- row in that same transaction.
CREATE TABLE evaluation_batch (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    size         integer NOT NULL CHECK (size > 0),
    -- Parallel arrays, one element per reading, all of length size.
    practice_ids uuid[] NOT NULL,
    patient_ids  uuid[] NOT NULL,
    device_ids   text[] NOT NULL,
    types        text[] NOT NULL,
    measured_ats timestamptz[] NOT NULL,
    queued_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (cardinality(practice_ids) = size AND cardinality(patient_ids) = size AND cardinality(device_ids) = size
           AND cardinality(types) = size AND cardinality(measured_ats) = size)
);

-- Readings queued before the upgrade keep their order, in rows of at most 1,000 (a backlog left by a long clinical
-- outage must not become one row the evaluator has to take whole).
INSERT INTO evaluation_batch (size, practice_ids, patient_ids, device_ids, types, measured_ats, queued_at)
SELECT count(*), array_agg(practice_id ORDER BY id), array_agg(patient_id ORDER BY id), array_agg(device_id ORDER BY id),
       array_agg(type ORDER BY id), array_agg(measured_at ORDER BY id), min(queued_at)
FROM (SELECT q.*, (row_number() OVER (ORDER BY id) - 1) / 1000 AS chunk FROM evaluation_queue q) numbered
GROUP BY chunk
ORDER BY chunk;

DROP TABLE evaluation_queue;

-- The waiting readings one per row, for operators, metrics and tests (read-only).
CREATE VIEW evaluation_queue AS
SELECT b.id AS batch_id, e.practice_id, e.patient_id, e.device_id, e.type, e.measured_at, b.queued_at
FROM evaluation_batch b,
     unnest(b.practice_ids, b.patient_ids, b.device_ids, b.types, b.measured_ats)
         AS e (practice_id, patient_id, device_id, type, measured_at);

-- Locks the oldest rows another evaluator does not hold, one at a time, until they hold max_readings readings (always
-- at least one row, so a large batch is never split), and returns their ids. A FETCH per row locks exactly the rows
-- taken: a window over the rows before locking would count rows another evaluator holds and leave this one idle.
CREATE FUNCTION lock_evaluation_batches(max_readings integer) RETURNS SETOF bigint
    LANGUAGE plpgsql AS
$lock$
DECLARE
    oldest CURSOR FOR SELECT id, size FROM ingest.evaluation_batch ORDER BY id FOR UPDATE SKIP LOCKED;
    taken  integer := 0;
    r      record;
BEGIN
    OPEN oldest;
    LOOP
        FETCH oldest INTO r;
        EXIT WHEN NOT FOUND;
        RETURN NEXT r.id;
        taken := taken + r.size;
        EXIT WHEN taken >= max_readings;
    END LOOP;
    CLOSE oldest;
END
$lock$;
