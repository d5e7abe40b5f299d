package health.careloop.common.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Typed fields of a JSON request body, nested objects and arrays included; the one way the API reads a body. A missing
 * or malformed field is a 400 that names the field by its path ({@code goals[1].target}). The body must be one JSON
 * object without duplicate keys ({@code {"systolic":120,"systolic":300}} is refused, not "last one wins").
 * <p>
 * Text is checked before anything else sees it (PostgreSQL cannot store NUL, and control characters have no business
 * in a name or a note): {@link #string} is one line (no control character at all), {@link #text} is free text where
 * tab, CR and LF are kept and every other control character is refused; both refuse unpaired surrogates (not text).
 * Both trim spaces, tabs and line breaks at the ends.
 */
public final class RequestBody {
    private static final String PARSED = "careloop.requestBody";
    /** Strict duplicate detection; nesting bounded as the body is (64 KiB) so a deep body costs no stack overflow. */
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
    private static final Set<Character> EDGE_SPACE = Set.of(' ', '\t', '\r', '\n');

    /** Earliest and latest time the API takes: PostgreSQL's timestamptz cannot hold all of Java's (a 500 before). */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final LocalDate EARLIEST_DATE = LocalDate.of(1900, 1, 1);
    private static final LocalDate LATEST_DATE = LocalDate.of(9999, 12, 31);

    private final JsonObject json;
    private final String path;

    private RequestBody(JsonObject json, String path) {
        this.json = json;
        this.path = path;
    }

    /** The request's body, parsed once per request. */
    public static RequestBody of(RoutingContext ctx) {
        return new RequestBody(jsonObject(ctx), "");
    }

    /** An object that is not a request body (a default, or a test). */
    public static RequestBody of(JsonObject json) {
        return new RequestBody(json, "");
    }

    /** Whether the request has a body at all (routes whose body is optional). */
    public static boolean present(RoutingContext ctx) {
        return ctx.body() != null && ctx.body().length() > 0;
    }

    /** The body as a JSON object, or a 400 saying it must be one, or naming a key that appears twice. */
    private static JsonObject jsonObject(RoutingContext ctx) {
        JsonObject cached = ctx.get(PARSED);
        if (cached != null) {
            return cached;
        }
        Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
        if (raw == null || raw.length() == 0) {
            throw new ApiException(400, "invalid_json", "The request body must be a JSON object.");
        }
        refuseDuplicateKeys(raw.getBytes());
        JsonObject json;
        try {
            json = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            json = null;
        }
        if (json == null) {
            throw new ApiException(400, "invalid_json", "The request body must be a JSON object.");
        }
        ctx.put(PARSED, json);
        return json;
    }

    /** One streaming pass before Vert.x decodes the body (its decoder keeps the last of two equal keys). */
    static void refuseDuplicateKeys(byte[] body) {
        try (JsonParser parser = STRICT.createParser(body)) {
            while (parser.nextToken() != null) {
                // reading every token is the check
            }
        } catch (StreamReadException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field '")) {
                String key = message.substring("Duplicate field '".length(), message.lastIndexOf('\''));
                String where = e.getProcessor() == null ? "" : pointer(e.getProcessor());
                throw new ApiException(400, "duplicate_key", "'" + where + key + "' appears more than once in the request body; send each key once.");
            }
            throw new ApiException(400, "invalid_json", "The request body is not valid JSON.");
        } catch (IOException e) {
            throw new ApiException(400, "invalid_json", "The request body is not valid JSON.");
        }
    }

    /** The enclosing object's path in the body ("address." for a key of address), empty at the top. */
    private static String pointer(JsonParser parser) {
        StringBuilder where = new StringBuilder();
        var context = parser.getParsingContext() == null ? null : parser.getParsingContext().getParent();
        List<String> parts = new ArrayList<>();
        while (context != null && !context.inRoot()) {
            parts.add(0, context.inArray() ? "[" + context.getCurrentIndex() + "]" : context.getCurrentName());
            context = context.getParent();
        }
        for (String part : parts) {
            if (part == null) {
                continue;
            }
            if (!part.startsWith("[") && where.length() > 0) {
                where.append('.');
            }
            where.append(part);
        }
        return where.length() == 0 ? "" : where + ".";
    }

    /** The field's name as the caller wrote it, with the path of the object it is in. */
    public String name(String field) {
        return path + field;
    }

    public boolean has(String field) {
        return json.getValue(field) != null;
    }

    /** The keys present in this object (a map of names chosen by the caller, such as threshold overrides). */
    public Set<String> fieldNames() {
        return json.fieldNames();
    }

    // ---------------------------------------------------------------- text

    /** A required one-line string: no control characters, at most {@code maxLength}. */
    public String string(String field, int maxLength) {
        return optionalString(field, maxLength).orElseThrow(() -> ApiException.badRequest("'" + name(field) + "' is required."));
    }

    public Optional<String> optionalString(String field, int maxLength) {
        return read(field, maxLength, false);
    }

    /** Required free text (notes, outcomes, reasons, care plan sections): tab, CR and LF allowed. */
    public String text(String field, int maxLength) {
        return optionalText(field, maxLength).orElseThrow(() -> ApiException.badRequest("'" + name(field) + "' is required."));
    }

    public Optional<String> optionalText(String field, int maxLength) {
        return read(field, maxLength, true);
    }

    private Optional<String> read(String field, int maxLength, boolean multiline) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw ApiException.badRequest("'" + name(field) + "' must be a string.");
        }
        if (s.length() > maxLength) {
            throw ApiException.badRequest("'" + name(field) + "' must be at most " + maxLength + " characters.");
        }
        String trimmed = trim(s);
        if (trimmed.isBlank()) {
            throw ApiException.badRequest("'" + name(field) + "' must be a non-empty string.");
        }
        checkText(name(field), trimmed, multiline);
        return Optional.of(trimmed);
    }

    /**
     * Refuses what no text field may hold: NUL and the other C0/C1 control characters and DEL (tab, CR and LF allowed
     * when {@code multiline}), and unpaired surrogates. The message names the field and the character, never the value.
     */
    public static void checkText(String name, String value, boolean multiline) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                if (multiline && (c == '\t' || c == '\r' || c == '\n')) {
                    continue;
                }
                String what = c == 0 ? "NUL characters (U+0000)" : String.format("control characters (U+%04X)", (int) c);
                throw new ApiException(400, "invalid_text", "'" + name + "' must not contain " + what
                        + (multiline ? "; tab and line breaks are allowed." : "; it is one line of text."));
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ApiException(400, "invalid_text", "'" + name + "' is not valid Unicode text (an unpaired surrogate).");
            }
        }
    }

    /** Spaces, tabs and line breaks at the ends; unlike String.trim, control characters stay (and are refused). */
    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && EDGE_SPACE.contains(s.charAt(start))) {
            start++;
        }
        while (end > start && EDGE_SPACE.contains(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    public String identifier(String field, String pattern, String description) {
        String value = string(field, 64);
        if (!value.matches(pattern)) {
            throw ApiException.badRequest("'" + name(field) + "' must be " + description + ".");
        }
        return value;
    }

    // ---------------------------------------------------------------- typed values

    public UUID uuid(String field) {
        return optionalUuid(field).orElseThrow(() -> ApiException.badRequest("'" + name(field) + "' is required."));
    }

    public Optional<UUID> optionalUuid(String field) {
        return optionalString(field, 36).map(v -> parseUuid(name(field), v));
    }

    public ZoneId zone(String field) {
        String value = string(field, 64);
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("'" + name(field) + "' must be an IANA time zone such as America/Chicago.");
        }
    }

    public Optional<Instant> optionalInstant(String field) {
        return optionalString(field, 40).map(v -> parseInstant(name(field), v));
    }

    public Instant instant(String field) {
        return optionalInstant(field).orElseThrow(() -> ApiException.badRequest("'" + name(field) + "' is required."));
    }

    public LocalDate date(String field) {
        return optionalDate(field).orElseThrow(() -> ApiException.badRequest("'" + name(field) + "' is required (a date such as 2026-03-01)."));
    }

    public Optional<LocalDate> optionalDate(String field) {
        return optionalString(field, 10).map(v -> parseDate(name(field), v));
    }

    public boolean bool(String field) {
        return optionalBool(field).orElseThrow(() -> ApiException.badRequest("'" + name(field) + "' is required (true or false)."));
    }

    public Optional<Boolean> optionalBool(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean b)) {
            throw ApiException.badRequest("'" + name(field) + "' must be true or false.");
        }
        return Optional.of(b);
    }

    public Optional<Integer> optionalInt(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() != ((Number) value).intValue()) {
            throw ApiException.badRequest("'" + name(field) + "' must be an integer.");
        }
        return Optional.of(((Number) value).intValue());
    }

    /** A number or JSON null (null: "remove"); empty when the key is absent. Infinity (1e309) is not a number here. */
    public Optional<Number> optionalNumber(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number n) || n instanceof Double d && !Double.isFinite(d) || n instanceof Float f && !Float.isFinite(f)) {
            throw ApiException.badRequest("'" + name(field) + "' must be a number or null.");
        }
        return Optional.of(n);
    }

    // ---------------------------------------------------------------- nested

    public Optional<RequestBody> optionalObject(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonObject o)) {
            throw ApiException.badRequest("'" + name(field) + "' must be an object.");
        }
        return Optional.of(new RequestBody(o, name(field) + "."));
    }

    public RequestBody object(String field) {
        return optionalObject(field).orElseThrow(() -> ApiException.badRequest("'" + name(field) + "' is required."));
    }

    /** An array of objects; a missing array is empty. */
    public List<RequestBody> objects(String field, int maxItems) {
        JsonArray array = array(field, maxItems);
        List<RequestBody> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject o)) {
                throw ApiException.badRequest("'" + name(field) + "[" + i + "]' must be an object.");
            }
            result.add(new RequestBody(o, name(field) + "[" + i + "]."));
        }
        return result;
    }

    /** An array of UUID strings; a missing array is empty. */
    public List<UUID> uuids(String field, int maxItems) {
        JsonArray array = array(field, maxItems);
        List<UUID> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof String s)) {
                throw ApiException.badRequest("'" + name(field) + "[" + i + "]' must be a UUID.");
            }
            result.add(parseUuid(name(field) + "[" + i + "]", s));
        }
        return result;
    }

    private JsonArray array(String field, int maxItems) {
        Object value = json.getValue(field);
        if (value == null) {
            return new JsonArray();
        }
        if (!(value instanceof JsonArray array)) {
            throw ApiException.badRequest("'" + name(field) + "' must be an array.");
        }
        if (array.size() > maxItems) {
            throw ApiException.badRequest("'" + name(field) + "' may have at most " + maxItems + " items.");
        }
        return array;
    }

    // ---------------------------------------------------------------- parsing (also for path and query parameters)

    public static UUID parseUuid(String field, String value) {
        // UUID.fromString takes "1-1-1-1-1" and other short forms; only the canonical 36 characters are an id here.
        if (value == null || value.length() != 36) {
            throw ApiException.badRequest("'" + field + "' must be a UUID.");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + field + "' must be a UUID.");
        }
    }

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

    /** A calendar date from 1900 to 9999 (PostgreSQL's date holds more, but no date of ours is outside these). */
    public static LocalDate parseDate(String field, String value) {
        LocalDate date;
        try {
            date = LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("'" + field + "' must be a date such as 2026-03-01.");
        }
        if (date.isBefore(EARLIEST_DATE) || date.isAfter(LATEST_DATE)) {
            throw ApiException.badRequest("'" + field + "' must be a date from 1900-01-01 to 9999-12-31.");
        }
        return date;
    }
}
