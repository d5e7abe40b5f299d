package health.careloop.platform.config;

import health.careloop.common.config.ConfigException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The optional YAML file named by CARELOOP_CONFIG_FILE. It holds the same settings as the environment, nested or not:
 * {@code ingest: {batch_size: 500}} and {@code CARELOOP_INGEST_BATCH_SIZE: 500} are the same setting. The environment
 * wins over the file, so a deployment can keep a file and override one value per host.
 */
public final class ConfigFile {
    public static final String VARIABLE = "CARELOOP_CONFIG_FILE";

    private ConfigFile() {
    }

    /** The environment on top of the file it names (or the environment alone), and which names came from the file. */
    public static Sources merge(Map<String, String> environment) {
        String file = environment.get(VARIABLE);
        if (file == null || file.isBlank()) {
            return new Sources(Map.copyOf(environment), Map.of(), null);
        }
        Path path = Path.of(file.trim()).toAbsolutePath();
        Map<String, String> fromFile = read(path);
        Map<String, String> merged = new HashMap<>(fromFile);
        merged.putAll(environment);
        return new Sources(Map.copyOf(merged), Map.copyOf(fromFile), path);
    }

    static Map<String, String> read(Path path) {
        if (!Files.isReadable(path)) {
            throw new ConfigException(VARIABLE + " names " + path + ", which is not a readable file");
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
        } catch (JsonProcessingException e) {
            throw new ConfigException(path + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + path + ": " + e.getMessage());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new ConfigException(path + " must be a YAML mapping of settings, such as 'http_port: 8080'");
            }
            flatten("", root, settings, path);
        }
        return settings;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into, Path path) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "_" + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key, value, into, path);
            } else if (value.isValueNode() && !value.isNull()) {
                into.put(variableName(key), value.asText());
            } else {
                throw new ConfigException(path + ": '" + key + "' must be a single value (a number, word or quoted text)");
            }
        }
    }

    /** "ingest.batch-size", "ingest_batch_size" and "CARELOOP_INGEST_BATCH_SIZE" all name CARELOOP_INGEST_BATCH_SIZE. */
    static String variableName(String key) {
        String upper = key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
        return upper.startsWith("CARELOOP_") ? upper : "CARELOOP_" + upper;
    }

    /**
     * @param values   what the settings are read from
     * @param fromFile the names the file set (to refuse the ones no setting reads: a typo must not pass silently)
     * @param file     the file, or null
     */
    public record Sources(Map<String, String> values, Map<String, String> fromFile, Path file) {
    }
}
