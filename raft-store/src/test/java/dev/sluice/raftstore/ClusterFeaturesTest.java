package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClusterFeaturesTest {
    @Test
    void theEffectiveLevelIsTheLowestOfTheViewsNodesAndANodeThatNeverPublishedCountsAsTheBaseline() {
        assertEquals(2, ClusterFeatures.effective(List.of("n1", "n2"), Map.of("n1", 2, "n2", 2)));
        assertEquals(1, ClusterFeatures.effective(List.of("n1", "n2", "n3"), Map.of("n1", 2, "n2", 2)),
                "n3 (being added, or an older release) published nothing");
        assertEquals(1, ClusterFeatures.effective(List.of("n1", "n2"), Map.of("n1", 2, "n2", 1)));
        assertEquals(2, ClusterFeatures.effective(List.of("n1"), Map.of("n1", 2, "gone", 1)),
                "a node no longer in the view does not hold the cluster back");
        assertEquals(FeatureLevel.CURRENT, ClusterFeatures.effective(List.of("n1"), Map.of("n1", FeatureLevel.CURRENT + 1)),
                "never beyond what this release knows");
    }

    @Test
    void aPublishedLevelIsAVersionedRecord() {
        assertEquals("0100000002", java.util.HexFormat.of().formatHex(ClusterFeatures.encodeLevel(2)));
        assertEquals(2, ClusterFeatures.decodeLevel(ClusterFeatures.encodeLevel(2)));
    }
}
