-- Principal care management (PCM, billing-rules.md 2.3 [S19][S28]) is a program of its own: consent (with CCM's
-- elements) and enrolment with one billing practitioner, like CCM.
ALTER TABLE consent DROP CONSTRAINT consent_program_check;
ALTER TABLE consent ADD CONSTRAINT consent_program_check CHECK (program IN ('rpm', 'ccm', 'pcm'));
ALTER TABLE consent ADD CONSTRAINT consent_pcm_elements_check
    CHECK (program <> 'pcm' OR NOT accepted OR (told_service_available AND told_cost_sharing AND told_one_practitioner AND told_may_stop));
ALTER TABLE enrolment DROP CONSTRAINT enrolment_program_check;
ALTER TABLE enrolment ADD CONSTRAINT enrolment_program_check CHECK (program IN ('rpm', 'ccm', 'pcm'));
