package health.careloop.simulator.registration;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CareLoop's API answered with a status the simulator cannot work with. */
public final class ApiException extends RuntimeException {
    private static final Pattern ERROR_CODE = Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]+)\"");

    private final int status;
    private final String call;
    private final String errorCode;

    public ApiException(String call, int status, String body) {
        super(call + " answered " + status + ": " + body);
        this.status = status;
        this.call = call;
        Matcher m = ERROR_CODE.matcher(body == null ? "" : body);
        this.errorCode = m.find() ? m.group(1) : "";
    }

    /**
     * The call, status and the API's error code only (e.g. "save profile answered 409 duplicate_mbi"): the message
     * may quote patient data, such as the MBI, so logs get this instead.
     */
    public String withoutDetails() {
        return call + " answered " + status + (errorCode.isEmpty() ? "" : " " + errorCode);
    }

    public int status() {
        return status;
    }
}
