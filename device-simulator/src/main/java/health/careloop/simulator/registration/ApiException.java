package health.careloop.simulator.registration;

/** CareLoop's API answered with a status the simulator cannot work with. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(String call, int status, String body) {
        super(call + " answered " + status + ": " + body);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
