-- Advanced primary care management (APCM, billing-rules.md 2.3 [S26][S27]): consent (with CCM's elements) and enrolment
-- with the practitioner responsible for the patient's primary care.
ALTER TABLE consent DROP CONSTRAINT consent_program_check;
ALTER TABLE consent ADD CONSTRAINT consent_program_check CHECK (program IN ('rpm', 'ccm', 'pcm', 'apcm'));
ALTER TABLE consent ADD CONSTRAINT consent_apcm_elements_check
    CHECK (program <> 'apcm' OR NOT accepted OR (told_service_available AND told_cost_sharing AND told_one_practitioner AND told_may_stop));
ALTER TABLE enrolment DROP CONSTRAINT enrolment_program_check;
ALTER TABLE enrolment ADD CONSTRAINT enrolment_program_check CHECK (program IN ('rpm', 'ccm', 'pcm', 'apcm'));
