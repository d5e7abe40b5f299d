-- Care plans carry a review date (billing-rules.md 2.2: a review schedule); a task reminds the team a week ahead.
ALTER TABLE task DROP CONSTRAINT task_kind_check;
ALTER TABLE task ADD CONSTRAINT task_kind_check CHECK (kind IN ('alert_follow_up', 'monthly_check_in', 'care_plan_review', 'manual'));
