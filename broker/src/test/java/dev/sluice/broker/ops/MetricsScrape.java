package dev.sluice.broker.ops;

import dev.sluice.broker.hostile.RawHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code GET /metrics} answer, read as samples: {@code name{label="value",...}} to value. */
public final class MetricsScrape {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A sample: its metric name, labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final List<Sample> samples = new ArrayList<>();

    public MetricsScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
    }

    /** Scrapes the node serving HTTP on {@code port}. */
    public static MetricsScrape of(int port) throws IOException {
        RawHttp.Answer answer = new RawHttp(port).send("GET", "/metrics", List.of(), "");
        if (answer.status() != 200) {
            throw new IOException("/metrics answered " + answer.status());
        }
        return new MetricsScrape(answer.text());
    }

    /** The value of the one sample of {@code name} whose labels include {@code labelPairs} (name, value, ...). */
    public Optional<Double> value(String name, String... labelPairs) {
        List<Sample> matching = matching(name, labelPairs);
        if (matching.size() > 1) {
            throw new IllegalStateException(matching.size() + " samples match " + name + " " + List.of(labelPairs));
        }
        return matching.stream().map(Sample::value).findFirst();
    }

    /** Every sample of {@code name} whose labels include {@code labelPairs}. */
    public List<Sample> matching(String name, String... labelPairs) {
        List<Sample> matching = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && includes(sample.labels(), labelPairs)) {
                matching.add(sample);
            }
        }
        return matching;
    }

    private static boolean includes(Map<String, String> labels, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }

    public String text() {
        return text;
    }
}
