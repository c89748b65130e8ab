package dev.sluice.faasbridge.core;

import dev.sluice.faasbridge.function.SqsEvent;

/**
 * What a function is invoked with, one kind per event source: an SQS batch from an event source mapping,
 * or one SNS notification from a topic subscription. Every invoker takes both; an HTTP function gets the
 * event's JSON POSTed, an in-process handler the typed event.
 */
public sealed interface FunctionEvent {

    /** Lambda's SQS event, built by a mapping's poller. */
    record Sqs(SqsEvent event) implements FunctionEvent {
        public Sqs {
            java.util.Objects.requireNonNull(event, "event");
        }
    }

    /**
     * Lambda's SNS event ({@code {"Records":[{"EventSource":"aws:sns",...}]}}) as JSON text, built and
     * signed by the notification service; POSTed to HTTP functions unchanged.
     */
    record Sns(String json) implements FunctionEvent {
        public Sns {
            java.util.Objects.requireNonNull(json, "json");
        }
    }
}
