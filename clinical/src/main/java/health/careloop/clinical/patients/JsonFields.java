package health.careloop.clinical.patients;

import health.careloop.common.http.ApiException;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Typed fields of a JSON request body, including nested objects and arrays (which common's RequestBody does not
 * reach). A missing or malformed field is a 400 that names the field by its path, e.g. {@code goals[1].target}.
 */
public final class JsonFields {
    private final JsonObject json;
    private final String path;

    private JsonFields(JsonObject json, String path) {
        this.json = json;
        this.path = path;
    }

    public static JsonFields of(RoutingContext ctx) {
        return new JsonFields(RequestBody.jsonObject(ctx), "");
    }

    public static JsonFields of(JsonObject json) {
        return new JsonFields(json, "");
    }

    public String name(String field) {
        return path + field;
    }

    public boolean has(String field) {
        return json.getValue(field) != null;
    }

    public String string(String field, int maxLength) {
        return optionalString(field, maxLength).orElseThrow(() -> ApiException.badRequest("'" + name(field) + "' is required."));
    }

    public Optional<String> optionalString(String field, int maxLength) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw ApiException.badRequest("'" + name(field) + "' must be a non-empty string.");
        }
        if (s.length() > maxLength) {
            throw ApiException.badRequest("'" + name(field) + "' must be at most " + maxLength + " characters.");
        }
        return Optional.of(s.trim());
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

    public UUID uuid(String field) {
        return optionalUuid(field).orElseThrow(() -> ApiException.badRequest("'" + name(field) + "' is required."));
    }

    public Optional<UUID> optionalUuid(String field) {
        return optionalString(field, 36).map(v -> parseUuid(name(field), v));
    }

    public Optional<JsonFields> optionalObject(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonObject o)) {
            throw ApiException.badRequest("'" + name(field) + "' must be an object.");
        }
        return Optional.of(new JsonFields(o, name(field) + "."));
    }

    /** An array of objects; a missing array is empty. */
    public List<JsonFields> objects(String field, int maxItems) {
        JsonArray array = array(field, maxItems);
        List<JsonFields> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject o)) {
                throw ApiException.badRequest("'" + name(field) + "[" + i + "]' must be an object.");
            }
            result.add(new JsonFields(o, name(field) + "[" + i + "]."));
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

    public static LocalDate parseDate(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("'" + field + "' must be a date such as 2026-03-01.");
        }
    }

    public static UUID parseUuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + field + "' must be a UUID.");
        }
    }
}
