package health.careloop.common.config;

/** A setting that cannot be used; the message names the variable and what it expects, so start-up fails fast and clearly. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
