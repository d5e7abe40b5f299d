-- Issue 18: a practice's fee schedule and billing settings, each with the day it takes effect. They replace the
-- amounts and rule choices fixed in code (FeeSchedule, BillingSettings.defaults()), which now only seed a practice.

-- One amount per unit of a code, from effective_from until the code's next row. A line is priced with the fee in
-- effect on its date of service; a code without one is billed without a charge and named in the close's warnings.
CREATE TABLE fee (
    practice_id     uuid NOT NULL REFERENCES core.practice (id),
    code            text NOT NULL CHECK (code ~ '^[0-9A-Z]{5}$'),
    effective_from  date NOT NULL,
    amount          numeric(10, 2) NOT NULL CHECK (amount > 0),
    source          text CHECK (length(source) <= 200),
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (practice_id, code, effective_from)
);

-- A rule choice the rule book leaves open (billing-rules.md section 8), from the first day of a billing month; a month
-- is evaluated with the values in effect on its first day, the built-in default where the practice set none.
CREATE TABLE practice_setting (
    practice_id     uuid NOT NULL REFERENCES core.practice (id),
    name            text NOT NULL CHECK (name IN ('setupRule', 'max99458Units', 'max99437Units', 'max99489Units', 'messagingIsInteractive',
                                                   'placeOfService')),
    effective_from  date NOT NULL CHECK (extract(day FROM effective_from) = 1),
    value           text NOT NULL CHECK (length(value) BETWEEN 1 AND 40),
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (practice_id, name, effective_from)
);

-- A line closed while its code had no fee carries no charge; the 837P prices it from the schedule when exported, or
-- refuses it naming the missing fee.
ALTER TABLE claim_line ALTER COLUMN charge DROP NOT NULL;
