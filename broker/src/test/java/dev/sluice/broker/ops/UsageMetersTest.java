package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.service.ClusterUsage;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The usage counters show the cluster's totals, reading again only the previous and the current hour once the first
 * read settled the older ones, so a counter never counts an hour twice and never goes down.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UsageMetersTest {
    private static final long HOUR = UsageMeter.HOUR_MILLIS;

    /** The stored counters: account -> hour -> requests. */
    private final SortedMap<String, SortedMap<Long, Map<UsageKind, Long>>> stored = new TreeMap<>();
    private final List<Long> readsFrom = new ArrayList<>();
    private long now = 10 * HOUR + 5;
    private final InstantSource clock = () -> Instant.ofEpochMilli(now);

    private CompletableFuture<ClusterUsage.Table> read(String account, long from, long to) {
        readsFrom.add(from);
        SortedMap<String, SortedMap<Long, Map<UsageKind, Long>>> answer = new TreeMap<>();
        stored.forEach((name, hours) -> hours.forEach((hour, used) -> {
            if (hour >= from && hour < to) {
                answer.computeIfAbsent(name, ignored -> new TreeMap<>()).put(hour, new EnumMap<>(used));
            }
        }));
        return CompletableFuture.completedFuture(new ClusterUsage.Table(answer));
    }

    private void count(String account, long hour, long requests) {
        stored.computeIfAbsent(account, ignored -> new TreeMap<>()).computeIfAbsent(hour, ignored -> new EnumMap<>(UsageKind.class))
                .merge(UsageKind.SQS_REQUESTS, requests, Long::sum);
    }

    @Test
    void countersAddSettledHoursToTheHoursReadAgainAndNeverCountAnHourTwice() {
        count("111111111111", 2 * HOUR, 5);
        count("111111111111", 9 * HOUR, 3);
        count("222222222222", 10 * HOUR, 1);
        UsageMeters meters = new UsageMeters(this::read, clock, 10);
        meters.refresh().join();
        assertEquals(Map.of("111111111111", 8.0, "222222222222", 1.0), requests(meters));

        // Later counts in the hours still read again, then two hours on: 9h and 10h settle with their last counts.
        count("111111111111", 9 * HOUR, 1);
        count("222222222222", 10 * HOUR, 2);
        now = 12 * HOUR + 1;
        meters.refresh().join();
        count("222222222222", 12 * HOUR, 4);
        now += UsageMeters.REFRESH_MILLIS;
        meters.refresh().join();
        assertEquals(Map.of("111111111111", 9.0, "222222222222", 7.0), requests(meters));
        assertEquals(List.of(0L, 9 * HOUR, 11 * HOUR), readsFrom, "after the first read only unsettled hours are read");
    }

    @Test
    void accountsBeyondTheLabelLimitAreSummedUnderTheOverflowLabel() {
        count("111111111111", HOUR, 1);
        count("222222222222", HOUR, 2);
        count("333333333333", HOUR, 4);
        UsageMeters meters = new UsageMeters(this::read, clock, 1);
        meters.refresh().join();
        assertEquals(Map.of("111111111111", 1.0, QueueLabels.OVERFLOW, 6.0), requests(meters));
    }

    private static Map<String, Double> requests(UsageMeters meters) {
        Map<String, Double> byAccount = new TreeMap<>();
        for (MetricSnapshot family : meters.collect()) {
            if (family.getMetadata().getName().equals(UsageMeters.familyName(UsageKind.SQS_REQUESTS))) {
                ((CounterSnapshot) family).getDataPoints().forEach(point ->
                        byAccount.put(point.getLabels().get("account"), point.getValue()));
            }
        }
        return byAccount;
    }
}
