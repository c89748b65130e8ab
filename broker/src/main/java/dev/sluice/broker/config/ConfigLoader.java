package dev.sluice.broker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the {@link SluiceConfig} from its sources, each overriding the one before: defaults, the
 * config file ({@code --config} or {@code SLUICE_CONFIG}), {@code SLUICE_*} environment variables,
 * flags. It never stops at the first mistake: every unknown flag, variable or key, every unreadable
 * value and every validation problem is collected, so one run shows the operator all of them.
 */
public final class ConfigLoader {
    static final String CONFIG_FLAG = "--config";
    static final String CONFIG_VARIABLE = "SLUICE_CONFIG";
    private static final String VARIABLE_PREFIX = "SLUICE_";

    private ConfigLoader() {
    }

    /** One value from one source, before it is applied. */
    private record Assignment(Setting setting, String text, String source) {
    }

    /**
     * @param arguments the command line, e.g. {@code --port 9400 --peers n1=a:9325,...}; {@code --flag=value} works too
     * @param environment the process environment; only {@code SLUICE_*} entries are read
     */
    public static LoadResult load(List<String> arguments, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        List<Assignment> flags = new ArrayList<>();
        Optional<String> configPath = Optional.ofNullable(environment.get(CONFIG_VARIABLE));
        boolean help = false;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if ("--help".equals(argument) || "-h".equals(argument)) {
                help = true;
                continue;
            }
            if (!argument.startsWith("--")) {
                problems.add("unexpected argument '" + argument + "' (flags are --name value; see --help)");
                continue;
            }
            int equals = argument.indexOf('=');
            String flag = equals < 0 ? argument : argument.substring(0, equals);
            String text;
            if (equals >= 0) {
                text = argument.substring(equals + 1);
            } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
                text = arguments.get(++i);
            } else {
                problems.add(flag + ": needs a value");
                continue;
            }
            if (CONFIG_FLAG.equals(flag)) {
                configPath = Optional.of(text);
                continue;
            }
            assign(Settings.byFlag(flag), text, flag, "unknown flag " + flag + " (see --help)", flags, problems);
        }

        List<Assignment> assignments = new ArrayList<>();
        configPath.ifPresent(path -> assignments.addAll(fromFile(Path.of(path), problems)));
        assignments.addAll(fromEnvironment(environment, problems));
        assignments.addAll(flags);

        SluiceConfig config = SluiceConfig.defaults();
        Map<String, String> origins = new HashMap<>();
        for (Assignment assignment : assignments) {
            try {
                config = assignment.setting().apply().apply(config, assignment.text().trim());
                origins.put(assignment.setting().key(), assignment.source());
            } catch (RuntimeException e) {
                problems.add(assignment.source() + ": " + e.getMessage());
            }
        }
        problems.addAll(config.validate());
        return new LoadResult(config, problems, help, origins);
    }

    private static List<Assignment> fromFile(Path path, List<String> problems) {
        List<Assignment> assignments = new ArrayList<>();
        ConfigFile.read(path, problems).forEach((key, text) -> assign(Settings.byKey(key), text,
                "config file " + path + " (" + key + ")",
                "config file " + path + ": unknown key " + key + " (see --help for the keys)", assignments, problems));
        return assignments;
    }

    private static void assign(Optional<Setting> setting, String text, String source, String unknownProblem,
            List<Assignment> assignments, List<String> problems) {
        setting.ifPresentOrElse(found -> assignments.add(new Assignment(found, text, source)), () -> problems.add(unknownProblem));
    }

    /** Sorted by name so that the problems read the same on every run. */
    private static List<Assignment> fromEnvironment(Map<String, String> environment, List<String> problems) {
        List<Assignment> assignments = new ArrayList<>();
        new TreeMap<>(environment).forEach((name, text) -> {
            if (!name.startsWith(VARIABLE_PREFIX) || CONFIG_VARIABLE.equals(name)) {
                return;
            }
            assign(Settings.byEnvironmentVariable(name), text, name, "unknown environment variable " + name + " (see --help)",
                    assignments, problems);
        });
        return assignments;
    }

    /** The {@code --help} text: every flag with its variable, default and meaning. */
    public static String usage() {
        SluiceConfig defaults = SluiceConfig.defaults();
        StringBuilder text = new StringBuilder(String.join(System.lineSeparator(),
                "Usage: java -jar sluice.jar [--config sluice.yaml] [--flag value ...]",
                "",
                "Sources, later ones win: defaults < config file (--config or SLUICE_CONFIG; YAML or JSON,",
                "keys as below) < SLUICE_* environment variables < flags. Every problem is reported at once.",
                ""));
        text.append(String.format("%n  %-22s %-28s %-32s %-14s %s", "flag", "environment", "file key", "default", "meaning"));
        for (Setting setting : Settings.ALL) {
            text.append(String.format("%n  %-22s %-28s %-32s %-14s %s", setting.flag().orElse("-"),
                    setting.environmentVariable(), setting.key(), orNone(setting.show().apply(defaults)), setting.meaning()));
        }
        text.append(String.format("%n  %-22s %-28s %-32s %-14s %s", CONFIG_FLAG, CONFIG_VARIABLE, "-", "(none)",
                "config file to read (.yaml, .yml or .json)"));
        text.append(String.format("%n  %-22s %-28s %-32s %-14s %s%n", "--help, -h", "-", "-", "", "print this text"));
        return text.toString();
    }

    private static String orNone(String value) {
        return value.isEmpty() ? "(none)" : value;
    }
}
