package health.careloop.common.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;

/** Typed fields of a JSON request body; a missing or malformed field is a 400 that names the field. */
public final class RequestBody {
    private final JsonObject json;

    private RequestBody(JsonObject json) {
        this.json = json;
    }

    public static RequestBody of(RoutingContext ctx) {
        return new RequestBody(jsonObject(ctx));
    }

    /** The body as a JSON object, or a 400 saying it must be one. */
    public static JsonObject jsonObject(RoutingContext ctx) {
        JsonObject json;
        try {
            json = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            json = null;
        }
        if (json == null) {
            throw new ApiException(400, "invalid_json", "The request body must be a JSON object.");
        }
        return json;
    }

    public String string(String field, int maxLength) {
        return optionalString(field, maxLength).orElseThrow(() -> ApiException.badRequest("'" + field + "' is required."));
    }

    public Optional<String> optionalString(String field, int maxLength) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw ApiException.badRequest("'" + field + "' must be a non-empty string.");
        }
        if (s.length() > maxLength) {
            throw ApiException.badRequest("'" + field + "' must be at most " + maxLength + " characters.");
        }
        String trimmed = s.trim(); // trim() also drops control characters, so "\u0000" alone ends up empty
        if (trimmed.isEmpty()) {
            throw ApiException.badRequest("'" + field + "' must be a non-empty string.");
        }
        if (trimmed.indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database (a 500 before).
            throw ApiException.badRequest("'" + field + "' must not contain NUL characters.");
        }
        return Optional.of(trimmed);
    }

    public String identifier(String field, String pattern, String description) {
        String value = string(field, 64);
        if (!value.matches(pattern)) {
            throw ApiException.badRequest("'" + field + "' must be " + description + ".");
        }
        return value;
    }

    public UUID uuid(String field) {
        return parseUuid(field, string(field, 36));
    }

    public ZoneId zone(String field) {
        String value = string(field, 64);
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("'" + field + "' must be an IANA time zone such as America/Chicago.");
        }
    }

    public Optional<Instant> optionalInstant(String field) {
        return optionalString(field, 40).map(v -> parseInstant(field, v));
    }

    public static UUID parseUuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + field + "' must be a UUID.");
        }
    }

    /** Earliest and latest time the API takes: PostgreSQL's timestamptz cannot hold all of Java's (a 500 before). */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public static Instant parseInstant(String field, String value) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            throw ApiException.badRequest("'" + field + "' must be an ISO-8601 time with an offset, such as 2026-11-01T00:00:00Z.");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest("'" + field + "' must be between 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z.");
        }
        return instant;
    }
}
