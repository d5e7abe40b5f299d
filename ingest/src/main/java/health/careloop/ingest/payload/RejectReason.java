package health.careloop.ingest.payload;

/** Why a payload or one reading in it went to the dead letters; the code is stored and used as a metric tag. */
public enum RejectReason {
    INVALID_TOPIC("invalid_topic"),
    PAYLOAD_TOO_LARGE("payload_too_large"),
    NOT_JSON("not_json"),
    /** An object names a key twice ({"systolic":120,"systolic":300}): which one the device meant is unknowable. */
    DUPLICATE_KEY("duplicate_key"),
    NOT_A_READING("not_a_reading"),
    TOO_MANY_READINGS("too_many_readings"),
    UNKNOWN_TYPE("unknown_type"),
    MISSING_FIELD("missing_field"),
    INVALID_FIELD("invalid_field"),
    WRONG_UNIT("wrong_unit"),
    IMPLAUSIBLE_VALUE("implausible_value"),
    INVALID_TIMESTAMP("invalid_timestamp"),
    MEASURED_IN_FUTURE("measured_in_future"),
    MEASURED_TOO_OLD("measured_too_old"),
    UNKNOWN_DEVICE("unknown_device"),
    DEVICE_NOT_ASSIGNED("device_not_assigned"),
    /** More readings than the device's per-minute rate and burst allow (CARELOOP_INGEST_DEVICE_RATE_PER_MINUTE). */
    RATE_LIMITED("rate_limited"),
    /** The database refused this one message while accepting its neighbours (a last resort; never expected). */
    STORAGE_ERROR("storage_error");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
