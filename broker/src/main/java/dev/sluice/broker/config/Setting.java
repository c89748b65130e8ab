package dev.sluice.broker.config;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One configurable value and every way to set it.
 *
 * @param key its path in a config file, also its name in logs ({@code http.port})
 * @param flag the command-line flag, if it has one ({@code --port}); secrets have none
 * @param environmentVariable the {@code SLUICE_*} variable
 * @param meaning one line for {@code --help}
 * @param apply returns the config with the value set; throws IllegalArgumentException for bad text
 * @param show the value as text, the way {@code apply} reads it back
 */
record Setting(String key, Optional<String> flag, String environmentVariable, String meaning,
        BiFunction<SluiceConfig, String, SluiceConfig> apply, Function<SluiceConfig, String> show) {
}
