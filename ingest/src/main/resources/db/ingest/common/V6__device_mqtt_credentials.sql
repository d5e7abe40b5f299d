-- A device's MQTT password for the embedded broker (BrokerAccounts): only a salted SHA-256 of it is kept. The
-- passwords are 32 random bytes issued by CareLoop (or at least 20 characters given by a provisioning system), so a
-- fast hash is enough, and a broker that checks thousands of CONNECTs after an outage is not slowed by bcrypt.
ALTER TABLE device
    ADD COLUMN mqtt_secret_salt   bytea,
    ADD COLUMN mqtt_secret_hash   bytea,
    ADD COLUMN mqtt_secret_set_at timestamptz;
