package dev.sluice.broker.core;

/**
 * One queue's backlog as a replica sees it at {@code nowMillis}, with CloudWatch's meanings: visible
 * (ApproximateNumberOfMessagesVisible), in flight (…NotVisible), delayed (…Delayed), and the age of the message that
 * has been in the queue longest (ApproximateAgeOfOldestMessage; 0 when empty), counted from the start of its
 * retention period, so a dead letter of a standard queue shows its age since it was first sent.
 */
public record QueueDepth(String queue, long visible, long inFlight, long delayed, long oldestAgeMillis) {
}
