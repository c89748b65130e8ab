package dev.sluice.broker.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}) config file into dotted keys and
 * their text: {@code {http: {port: 9324}}} becomes {@code http.port=9324}, and a list of scalars becomes
 * one comma-separated value. Which keys exist is the caller's business, so unknown keys are reported
 * with the same words as unknown flags.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** The file's values in file order; problems (missing file, bad syntax, nested lists) are added to {@code problems}. */
    static Map<String, String> read(Path path, List<String> problems) {
        Map<String, String> values = new LinkedHashMap<>();
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            mapper = new ObjectMapper(new YAMLFactory());
        } else if (name.endsWith(".json")) {
            mapper = new ObjectMapper();
        } else {
            problems.add("config file " + path + ": name must end in .yaml, .yml or .json");
            return values;
        }
        JsonNode root;
        try {
            root = mapper.readTree(Files.readString(path));
        } catch (NoSuchFileException e) {
            problems.add("config file " + path + ": does not exist");
            return values;
        } catch (JsonProcessingException e) {
            problems.add("config file " + path + ": not valid " + (mapper.getFactory() instanceof YAMLFactory ? "YAML" : "JSON")
                    + ": " + e.getOriginalMessage());
            return values;
        } catch (IOException e) {
            problems.add("config file " + path + ": cannot be read: " + e);
            return values;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return values;
        }
        if (!root.isObject()) {
            problems.add("config file " + path + ": must hold a mapping of settings, like http: {port: 9324}");
            return values;
        }
        flatten("", root, path, values, problems);
        return values;
    }

    private static void flatten(String prefix, JsonNode node, Path path, Map<String, String> values, List<String> problems) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, path, values, problems);
            } else if (!value.isArray()) {
                values.put(key, value.isNull() ? "" : value.asText());
            } else if (containsOnlyPlainValues(value)) {
                List<String> elements = new ArrayList<>();
                value.forEach(element -> elements.add(element.asText()));
                values.put(key, String.join(",", elements));
            } else {
                problems.add("config file " + path + ", " + key + ": list entries must be plain values");
            }
        }
    }

    private static boolean containsOnlyPlainValues(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isValueNode()) {
                return false;
            }
        }
        return true;
    }
}
