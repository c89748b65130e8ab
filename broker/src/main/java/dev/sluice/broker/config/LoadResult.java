package dev.sluice.broker.config;

import java.util.List;
import java.util.Map;

/**
 * What {@link ConfigLoader#load} found.
 *
 * @param config the effective config; usable only when {@code problems} is empty
 * @param problems every problem in every source, then every validation problem, in that order
 * @param helpRequested {@code --help} or {@code -h} was given
 * @param origins per setting key, where its value came from ({@code default}, {@code --port}, ...)
 */
public record LoadResult(SluiceConfig config, List<String> problems, boolean helpRequested, Map<String, String> origins) {
    public LoadResult {
        problems = List.copyOf(problems);
        origins = Map.copyOf(origins);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** The effective config as one readable block for the start-up log, each value with its source; secrets masked. */
    public String describe() {
        StringBuilder text = new StringBuilder("effective configuration (defaults < config file < SLUICE_* environment < flags):");
        for (Setting setting : Settings.ALL) {
            text.append(String.format("%n  %-30s %-40s %s", setting.key(), setting.show().apply(config),
                    origins.getOrDefault(setting.key(), "default")));
        }
        return text.toString();
    }
}
