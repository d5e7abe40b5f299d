package health.careloop.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operations of the served openapi.yaml and, for each, every string a caller can put in it: each string field of
 * the request body (nested objects and array items included, $refs resolved, read-only fields left out) and each query
 * parameter (on the wire every query parameter is a string). What OpenApiFuzzTest fills with hostile text.
 */
final class OpenApiTargets {
    /** One operation, by its document key ("POST /patients/{patientId}/profile"). */
    record Operation(String method, String path, List<Target> targets) {
        String key() {
            return method + " " + path;
        }
    }

    /**
     * A place for a string: {@code query} names a query parameter; otherwise {@code pointer} is the way into the body,
     * object keys and array indexes (an array's items are reached at index 0).
     */
    record Target(boolean query, String name, List<Object> pointer) {
        /** As the API names it in its messages: {@code address.line1}, {@code goals[0].target}, {@code problems[0]}. */
        String label() {
            if (query) {
                return name;
            }
            StringBuilder s = new StringBuilder();
            for (Object part : pointer) {
                if (part instanceof Integer i) {
                    s.append('[').append(i).append(']');
                } else {
                    s.append(s.length() == 0 ? "" : ".").append(part);
                }
            }
            return s.toString();
        }

        /** The name the API's message must carry: the last key (for an array item, the array's name with its index). */
        String fieldName() {
            if (query) {
                return name;
            }
            Object last = pointer.get(pointer.size() - 1);
            if (last instanceof Integer i) {
                return pointer.get(pointer.size() - 2) + "[" + i + "]";
            }
            return (String) last;
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode document;

    private OpenApiTargets(JsonNode document) {
        this.document = document;
    }

    /** The document CareLoop serves at /openapi.yaml (the main resource). */
    static OpenApiTargets served() {
        try (InputStream in = OpenApiTargets.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not on the class path");
            }
            return new OpenApiTargets(YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (!List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                    continue;
                }
                List<Target> targets = new ArrayList<>();
                for (JsonNode parameter : method.getValue().path("parameters")) {
                    JsonNode p = resolve(parameter);
                    if (p.path("in").asText().equals("query")) {
                        targets.add(new Target(true, p.path("name").asText(), List.of()));
                    }
                }
                JsonNode body = method.getValue().path("requestBody").path("content").path("application/json").path("schema");
                if (!body.isMissingNode()) {
                    strings(resolve(body), new ArrayList<>(), targets);
                }
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), targets));
            }
        }
        return operations;
    }

    private void strings(JsonNode schema, List<Object> pointer, List<Target> out) {
        if (schema.path("readOnly").asBoolean(false)) {
            return;
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
        switch (type) {
            case "string" -> out.add(new Target(false, null, List.copyOf(pointer)));
            case "object" -> schema.path("properties").fields().forEachRemaining(property -> {
                pointer.add(property.getKey());
                strings(resolve(property.getValue()), pointer, out);
                pointer.remove(pointer.size() - 1);
            });
            case "array" -> {
                pointer.add(0);
                strings(resolve(schema.path("items")), pointer, out);
                pointer.remove(pointer.size() - 1);
            }
            default -> {
                // numbers, booleans, maps of numbers (additionalProperties): no text to put there
            }
        }
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String ref = current.path("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("Only local $refs are expected: " + ref);
            }
            current = document.at(ref.substring(1));
        }
        return current;
    }

    /** Puts {@code value} at {@code pointer} in {@code body}, making the objects and array items on the way. */
    static void put(JsonObject body, List<Object> pointer, Object value) {
        Object container = body;
        for (int i = 0; i < pointer.size(); i++) {
            Object part = pointer.get(i);
            boolean last = i == pointer.size() - 1;
            Object next = last ? null : pointer.get(i + 1);
            if (container instanceof JsonObject o) {
                String key = (String) part;
                if (last) {
                    o.put(key, value);
                    return;
                }
                Object child = o.getValue(key);
                if (!(child instanceof JsonObject) && !(child instanceof JsonArray)) {
                    child = next instanceof Integer ? new JsonArray() : new JsonObject();
                    o.put(key, child);
                }
                container = child;
            } else if (container instanceof JsonArray a) {
                int index = (Integer) part;
                while (a.size() <= index) {
                    a.add(next instanceof Integer ? new JsonArray() : next == null ? null : new JsonObject());
                }
                if (last) {
                    a.set(index, value);
                    return;
                }
                container = a.getValue(index);
            }
        }
    }

    /** The value at {@code pointer} in a response, or null when it has none there. */
    static Object get(Object json, List<Object> pointer) {
        Object current = json;
        for (Object part : pointer) {
            if (current instanceof JsonObject o && part instanceof String key) {
                current = o.getValue(key);
            } else if (current instanceof JsonArray a && part instanceof Integer i && i < a.size()) {
                current = a.getValue(i);
            } else {
                return null;
            }
        }
        return current;
    }
}
