-- The practice's billing profile (issue 5, the 837P export): who bills (loop 2010AA), who sends the file (1000A, ISA06),
-- who receives it (1000B, ISA08) and the destination payer (2010BB). One row per practice, replaced as a whole by
-- PUT /api/v1/billing/profile; the API validates every field with the X12 input records (billing.x12), the checks here
-- only keep the row's shape.
CREATE TABLE billing_profile (
    practice_id               uuid PRIMARY KEY REFERENCES core.practice (id),
    -- Billing provider (2010AA): legal name, type 2 NPI, EIN, a street address with the 9-digit ZIP, no PO box.
    organization_name         text NOT NULL CHECK (length(organization_name) BETWEEN 1 AND 60),
    organization_npi          text NOT NULL CHECK (organization_npi ~ '^[0-9]{10}$'),
    ein                       text NOT NULL CHECK (ein ~ '^[0-9]{9}$'),
    address_line1             text NOT NULL CHECK (length(address_line1) BETWEEN 1 AND 55),
    address_line2             text CHECK (length(address_line2) BETWEEN 1 AND 55),
    city                      text NOT NULL CHECK (length(city) BETWEEN 2 AND 30),
    state                     text NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
    zip                       text NOT NULL CHECK (zip ~ '^[0-9]{9}$'),
    -- Submitter (1000A): the id the MAC or clearinghouse assigned, the EDI contact and a 10-digit phone.
    submitter_name            text NOT NULL CHECK (length(submitter_name) BETWEEN 1 AND 60),
    submitter_id              text NOT NULL CHECK (length(submitter_id) BETWEEN 2 AND 15),
    submitter_contact_name    text NOT NULL CHECK (length(submitter_contact_name) BETWEEN 1 AND 60),
    submitter_contact_phone   text NOT NULL CHECK (submitter_contact_phone ~ '^[0-9]{10}$'),
    -- Receiver (1000B): the MAC (or clearinghouse) and its receiver id.
    receiver_name             text NOT NULL CHECK (length(receiver_name) BETWEEN 1 AND 60),
    receiver_id               text NOT NULL CHECK (length(receiver_id) BETWEEN 2 AND 15),
    -- Destination payer (2010BB).
    payer_name                text NOT NULL CHECK (length(payer_name) BETWEEN 1 AND 60),
    payer_id                  text NOT NULL CHECK (length(payer_id) BETWEEN 2 AND 80),
    -- ISA15: T until the MAC has accepted the practice's test files, then P.
    usage                     text NOT NULL DEFAULT 'test' CHECK (usage IN ('test', 'production')),
    updated_by                text NOT NULL,
    updated_at                timestamptz NOT NULL DEFAULT now()
);
