-- Patient demographics, one row per core.patient identity, replaced as a whole by the API (updated_by/at say who last).
CREATE TABLE patient_profile (
    patient_id     uuid PRIMARY KEY REFERENCES core.patient (id),
    practice_id    uuid NOT NULL REFERENCES core.practice (id),
    given_name     text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
    family_name    text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
    birth_date     date NOT NULL,
    -- X12 DMG03 (billing-rules.md 4).
    sex            text NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    -- Medicare Beneficiary Identifier (billing-rules.md 4 [S40]): position 1 digit 1-9; 2, 5, 8, 9 letters without
    -- S, L, O, I, B, Z; 4, 7, 10, 11 digits; 3 and 6 either. Stored without dashes.
    mbi            text CHECK (mbi ~ '^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y][0-9][0-9]$'),
    address_line1  text CHECK (length(address_line1) BETWEEN 1 AND 100),
    address_line2  text CHECK (length(address_line2) BETWEEN 1 AND 100),
    city           text CHECK (length(city) BETWEEN 1 AND 60),
    state          text CHECK (state ~ '^[A-Z]{2}$'),
    -- 5 or 9 digits without the dash; claims want 9 (billing-rules.md 4, N4).
    zip            text CHECK (zip ~ '^[0-9]{5}([0-9]{4})?$'),
    phone          text CHECK (length(phone) BETWEEN 10 AND 30),
    updated_by     text NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- An address is whole or absent.
    CHECK ((address_line1 IS NULL) = (city IS NULL) AND (city IS NULL) = (state IS NULL) AND (state IS NULL) = (zip IS NULL)),
    CHECK (address_line1 IS NOT NULL OR address_line2 IS NULL)
);
-- One beneficiary is one patient in a practice.
CREATE UNIQUE INDEX patient_profile_mbi ON patient_profile (practice_id, mbi) WHERE mbi IS NOT NULL;
CREATE INDEX patient_profile_name ON patient_profile (practice_id, lower(family_name), lower(given_name));
