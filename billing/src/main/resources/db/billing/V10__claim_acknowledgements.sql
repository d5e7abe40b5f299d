-- Issue 18, claim acknowledgements: what became of each claim CareLoop put on an 837P. A claim is named by its CLM01
-- (Claim837Export.claimControlNumber) within its practice. The 837 download records it as sent; the clearinghouse's
-- 999 (implementation acknowledgment) and the payer's 277CA (claim acknowledgement) move it on; a biller may enter the
-- payer's claim control number by hand when the payer gives it only on the remittance.

-- One row per claim: its latest status and, once known, the payer's claim control number (ICN/DCN) that a replacement
-- or void claim must quote (REF*F8).
CREATE TABLE claim_status (
    practice_id                 uuid NOT NULL REFERENCES core.practice (id),
    claim_control_number        text NOT NULL CHECK (claim_control_number ~ '^[0-9A-Z][0-9A-Z-]{0,37}$'),
    patient_id                  uuid NOT NULL REFERENCES core.patient (id),
    month                       date NOT NULL CHECK (extract(day FROM month) = 1),
    -- The codes of the claim's service lines as sent; null for a claim known only from an acknowledgement.
    codes                       text[],
    status                      text NOT NULL CHECK (status IN ('sent', 'received', 'accepted', 'rejected')),
    reason                      text CHECK (length(reason) <= 4000),
    -- GS06 of the 837 it was last sent in (= its ISA13): what a 999's AK102 names.
    group_control_number        bigint,
    sent_at                     timestamptz,
    sent_by                     text,
    status_at                   timestamptz NOT NULL DEFAULT now(),
    status_by                   text NOT NULL,
    payer_claim_control_number  text CHECK (payer_claim_control_number ~ '^[0-9A-Za-z-]{1,50}$'),
    payer_number_source         text CHECK (payer_number_source IN ('277CA', 'entered')),
    payer_number_by             text,
    payer_number_at             timestamptz,
    CHECK ((payer_claim_control_number IS NULL) = (payer_number_source IS NULL)),
    PRIMARY KEY (practice_id, claim_control_number)
);
CREATE INDEX claim_status_month ON claim_status (practice_id, month);
CREATE INDEX claim_status_group ON claim_status (practice_id, group_control_number);

-- Each acknowledgement file imported, once per practice and content (importing it again changes nothing).
CREATE TABLE acknowledgement_file (
    id           uuid PRIMARY KEY,
    practice_id  uuid NOT NULL REFERENCES core.practice (id),
    kind         text NOT NULL CHECK (kind IN ('999', '277CA')),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    interchange_control_number text NOT NULL,
    imported_by  text NOT NULL,
    imported_at  timestamptz NOT NULL DEFAULT now(),
    -- What the import did, as answered to the biller (claims applied, unchanged and unmatched with the reasons).
    summary      jsonb NOT NULL,
    UNIQUE (practice_id, sha256)
);

-- A claim's history: every change of status or payer number, who or which file made it, when.
CREATE TABLE claim_status_event (
    id                          bigserial PRIMARY KEY,
    practice_id                 uuid NOT NULL,
    claim_control_number        text NOT NULL,
    at                          timestamptz NOT NULL DEFAULT now(),
    actor                       text NOT NULL,
    file_id                     uuid REFERENCES acknowledgement_file (id),
    status                      text NOT NULL CHECK (status IN ('sent', 'received', 'accepted', 'rejected')),
    reason                      text CHECK (length(reason) <= 4000),
    payer_claim_control_number  text,
    FOREIGN KEY (practice_id, claim_control_number) REFERENCES claim_status (practice_id, claim_control_number)
);
CREATE INDEX claim_status_event_claim ON claim_status_event (practice_id, claim_control_number, id);
