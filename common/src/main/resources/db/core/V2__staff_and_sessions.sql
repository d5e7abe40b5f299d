-- Staff accounts and their sign-in sessions. Every staff member belongs to exactly one practice (DESIGN.md, "Practices").

CREATE TABLE staff_user (
    id             uuid PRIMARY KEY,
    practice_id    uuid NOT NULL REFERENCES practice (id),
    email          text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role           text NOT NULL CHECK (role IN ('rn', 'lpn', 'ma', 'care_coordinator', 'physician', 'npp', 'billing', 'admin')),
    -- The rendering/billing NPI of a physician or NPP; 10 digits (Luhn-checked by the application).
    npi            text CHECK (npi ~ '^[0-9]{10}$'),
    -- bcrypt (cost 12): slow and salted, never reversible.
    password_hash  text NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX staff_user_email ON staff_user (lower(email));
CREATE INDEX staff_user_practice ON staff_user (practice_id);

CREATE TABLE staff_session (
    -- SHA-256 of the bearer token: a database dump does not hand out sessions.
    token_hash    bytea PRIMARY KEY,
    staff_id      uuid NOT NULL REFERENCES staff_user (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz
);
CREATE INDEX staff_session_staff ON staff_session (staff_id);
