-- The day a care plan version was established (documented and agreed), which may lie before the day it was entered in
-- CareLoop: a plan written in the practice's EHR in September and imported in December is the plan of October's CCM
-- month (issue 17). created_at stays the time the row was written; the month close reads established_on. Versions
-- written through the API are established on the day they are written, in the practice's time zone.
-- NOTE for the lead: issue 16 adds an "established" date too; this is that column (one column, not two).
ALTER TABLE care_plan_version ADD COLUMN established_on date;
ALTER TABLE care_plan_version DISABLE TRIGGER care_plan_version_append_only;
UPDATE care_plan_version v SET established_on = (v.created_at AT TIME ZONE p.time_zone)::date
FROM core.practice p WHERE p.id = v.practice_id;
ALTER TABLE care_plan_version ENABLE TRIGGER care_plan_version_append_only;
ALTER TABLE care_plan_version ALTER COLUMN established_on SET NOT NULL;
