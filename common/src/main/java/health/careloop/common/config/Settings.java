package health.careloop.common.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Typed reads of named settings (environment variables) with one clear error per bad value. */
public final class Settings {
    private final Map<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public int integer(String name, int defaultValue, int min, int max) {
        int value = optional(name).map(v -> parse(name, v, Integer::parseInt, "a whole number")).orElse(defaultValue);
        if (value < min || value > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public Duration millis(String name, long defaultMillis, long min, long max) {
        long value = optional(name).map(v -> parse(name, v, Long::parseLong, "a number of milliseconds")).orElse(defaultMillis);
        if (value < min || value > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + " ms, got " + value);
        }
        return Duration.ofMillis(value);
    }

    public <E extends Enum<E>> E choice(String name, E defaultValue, Function<String, Optional<E>> byName, String allowed) {
        return optional(name)
                .map(v -> byName.apply(v).orElseThrow(() -> new ConfigException(name + " must be one of " + allowed + ", got '" + v + "'")))
                .orElse(defaultValue);
    }

    private static <T> T parse(String name, String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new ConfigException(name + " must be " + expected + ", got '" + value + "'");
        }
    }
}
