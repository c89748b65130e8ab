package dev.sluice.broker.core;

import java.util.Objects;

/**
 * A message as a peek shows it: read from the queue's state at one moment, nothing about it changed (its receive
 * count, visibility and place stay as they were). For operators who look at a queue without consuming it.
 *
 * @param receiveCount how often it was received so far
 * @param visibleAtMillis when it is (or became) visible
 */
public record PeekedMessage(long seq, StoredMessage message, int receiveCount, long visibleAtMillis, State state) {
    /** The most messages one peek reads: each is read from storage under the group's read lock. */
    public static final int MAX_PER_PEEK = 100;

    /** Where the message stands at the peek's time. */
    public enum State {
        VISIBLE(1), IN_FLIGHT(2), DELAYED(3);

        private final int code;

        State(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static State ofCode(int code) {
            for (State state : values()) {
                if (state.code == code) {
                    return state;
                }
            }
            throw new IllegalArgumentException("unknown peeked message state " + code);
        }
    }

    public PeekedMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(state, "state");
    }

    /** The state at {@code nowMillis}: visible once its time came, else delayed until first received, else in flight. */
    static State stateAt(long visibleAtMillis, int receiveCount, long nowMillis) {
        if (visibleAtMillis <= nowMillis) {
            return State.VISIBLE;
        }
        return receiveCount == 0 ? State.DELAYED : State.IN_FLIGHT;
    }
}
