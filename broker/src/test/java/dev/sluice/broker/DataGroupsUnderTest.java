package dev.sluice.broker;

/**
 * How many data Raft groups the test servers start with: 1 unless the build sets {@code sluice.test.dataGroups}
 * (broker's pom runs the SQS and SNS suites a second time with 4, so every action is tested with queues spread over
 * groups as well as in one).
 */
public final class DataGroupsUnderTest {
    private DataGroupsUnderTest() {
    }

    public static int count() {
        return Integer.parseInt(System.getProperty("sluice.test.dataGroups", "1"));
    }
}
