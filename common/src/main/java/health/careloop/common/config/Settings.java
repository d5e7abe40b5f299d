package health.careloop.common.config;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Typed reads of named settings (environment variables) with one clear error per bad value. */
public final class Settings {
    private final Map<String, String> values;
    private final Set<String> known = new HashSet<>();

    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Names read only in some configurations (a password next to its URL): known even when not read this time. */
    public void known(String... names) {
        known.addAll(List.of(names));
    }

    /** Refuses names a configuration file set that no setting reads (a typo must not pass silently). */
    public void rejectUnknown(Collection<String> names, Object file) {
        List<String> unknown = names.stream().filter(n -> !known.contains(n)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ConfigException(file + " sets what no setting reads: " + String.join(", ", unknown)
                    + " (the settings are listed in README.md, \"Configuration\")");
        }
    }

    public Optional<String> optional(String name) {
        known.add(name);
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
