-- Inputs of the care-management gates (issue 5, part 2), recorded by the practice; the visits themselves are billed
-- from the EHR, not here.

-- A face-to-face visit that can initiate CCM (billing-rules.md 2.2 [S18][S20]): an E/M visit of any level, an annual
-- wellness visit (AWV) or the initial preventive physical examination (IPPE), by a billing practitioner.
CREATE TABLE visit (
    id                uuid PRIMARY KEY,
    practice_id       uuid NOT NULL REFERENCES core.practice (id),
    patient_id        uuid NOT NULL REFERENCES core.patient (id),
    kind              text NOT NULL CHECK (kind IN ('em', 'awv', 'ippe')),
    visit_date        date NOT NULL,
    practitioner_id   uuid NOT NULL REFERENCES core.staff_user (id),
    -- G0506 (billing-rules.md 2.1 [S18]): the practitioner also did the comprehensive assessment and care planning for
    -- CCM at this visit, beyond the E/M work.
    ccm_assessment    boolean NOT NULL DEFAULT false,
    recorded_by       text NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visit_patient ON visit (patient_id, visit_date);

-- A hospital or SNF inpatient stay: no CCM time counts during it; time outside it in the same month does
-- (billing-rules.md 2.1 [S22]). Open while the patient is still in (discharged_at null).
CREATE TABLE inpatient_stay (
    id             uuid PRIMARY KEY,
    practice_id    uuid NOT NULL REFERENCES core.practice (id),
    patient_id     uuid NOT NULL REFERENCES core.patient (id),
    setting        text NOT NULL CHECK (setting IN ('hospital', 'snf')),
    admitted_at    timestamptz NOT NULL,
    discharged_at  timestamptz CHECK (discharged_at IS NULL OR discharged_at > admitted_at),
    recorded_by    text NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inpatient_stay_patient ON inpatient_stay (patient_id, admitted_at);
