package dev.sluice.benchmarks.floor;

import dev.sluice.clientsdk.MessageMd5;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One standard queue held in memory only: ready messages in arrival order, received ones in flight until deleted or
 * until their visibility timeout has passed, and the long polls waiting for a send. Nothing is ever written anywhere:
 * this is the floor's stand-in for Sluice's replicated queue engine, so that what remains of a request's cost is the
 * HTTP stack's and the codec's.
 *
 * <p>Called from any event loop; one lock guards the queue. Futures are completed after the lock is released, so a
 * caller's completion actions never run while it is held.
 */
final class MemoryQueue {

    /** A waiting long poll: what it asked for, when it gives up, and the timer that wakes it to look again. */
    private static final class Waiter {
        final ReceiveOptions options;
        final long deadlineNanos;
        final CompletableFuture<List<Message>> answer = new CompletableFuture<>();
        long timerId = -1;

        Waiter(ReceiveOptions options, long deadlineNanos) {
            this.options = options;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** A message as sent; its digests are computed once, at the send. */
    private record StoredMessage(String messageId, String body, String md5OfBody,
            Map<String, MessageAttributeValue> attributes, String md5OfAttributes) {
    }

    /** A received message until it is deleted or its visibility deadline passes. */
    private record InFlight(String receiptHandle, long visibleAgainNanos, long sequence, StoredMessage message) {
    }

    private static final Comparator<InFlight> BY_DEADLINE =
            Comparator.comparingLong(InFlight::visibleAgainNanos).thenComparingLong(InFlight::sequence);

    private final String url;
    private final Duration defaultVisibility;
    /** Long polls that may wait at once; beyond this a receive answers at once with what there is (as Sluice's). */
    private final int maxWaitingReceives;
    private final LongSupplier nanoClock;
    private final FloorTimers timers;
    private final AtomicLong sequences = new AtomicLong();

    private final ArrayDeque<StoredMessage> ready = new ArrayDeque<>();
    private final Map<String, InFlight> inFlightByReceipt = new HashMap<>();
    private final TreeSet<InFlight> inFlightByDeadline = new TreeSet<>(BY_DEADLINE);
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    MemoryQueue(String url, Duration defaultVisibility, int maxWaitingReceives, LongSupplier nanoClock, FloorTimers timers) {
        this.url = url;
        this.defaultVisibility = defaultVisibility;
        this.maxWaitingReceives = maxWaitingReceives;
        this.nanoClock = nanoClock;
        this.timers = timers;
    }

    String url() {
        return url;
    }

    Duration defaultVisibility() {
        return defaultVisibility;
    }

    /** What a send answers: the message's id and digests (the attributes' digest null when it has none). */
    record Sent(String messageId, String md5OfBody, String md5OfAttributes) {
    }

    /** A message to send: its body and message attributes (null: none). */
    record Outgoing(String body, Map<String, MessageAttributeValue> attributes) {
    }

    /**
     * Stores the messages, then wakes the long polls they can answer: a batch becomes visible at once, as one Raft
     * entry makes it visible in Sluice, so a woken receive can take all of it rather than its first message.
     */
    List<Sent> send(List<Outgoing> messages) {
        List<Sent> sent = new ArrayList<>(messages.size());
        List<StoredMessage> stored = new ArrayList<>(messages.size());
        for (Outgoing outgoing : messages) {
            Map<String, MessageAttributeValue> copied = outgoing.attributes() == null ? Map.of()
                    : Map.copyOf(outgoing.attributes());
            StoredMessage message = new StoredMessage(messageId(), outgoing.body(), MessageMd5.ofBody(outgoing.body()),
                    copied, MessageMd5.ofMessageAttributes(copied));
            stored.add(message);
            sent.add(new Sent(message.messageId(), message.md5OfBody(), message.md5OfAttributes()));
        }
        List<Runnable> answers;
        synchronized (this) {
            ready.addAll(stored);
            answers = wakeWaiters(nanoClock.getAsLong());
        }
        answers.forEach(Runnable::run);
        return sent;
    }

    /**
     * Up to {@code options.maxMessages()} messages now, or, when none is visible and the request may wait, as soon as
     * one is sent or comes back from flight, at the latest after {@code wait} (then none).
     */
    CompletableFuture<List<Message>> receive(ReceiveOptions options, Duration wait) {
        Waiter waiter;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            returnExpired(now);
            if (!ready.isEmpty() || wait.isZero() || waiters.size() >= maxWaitingReceives) {
                return CompletableFuture.completedFuture(take(options, now));
            }
            waiter = new Waiter(options, now + wait.toNanos());
            waiters.addLast(waiter);
            arm(waiter, now);
        }
        // A client that hung up cancels its answer (SqsRoutes): the waiter leaves at once rather than at its deadline.
        waiter.answer.whenComplete((messages, failure) -> {
            if (waiter.answer.isCancelled()) {
                synchronized (this) {
                    waiters.remove(waiter);
                    timers.cancel(waiter.timerId);
                }
            }
        });
        return waiter.answer;
    }

    /** Deletes the message this receipt handle was handed out for, if it is still in flight; true if it was. */
    synchronized boolean delete(String receiptHandle) {
        InFlight received = inFlightByReceipt.remove(receiptHandle);
        if (received == null) {
            return false;
        }
        inFlightByDeadline.remove(received);
        return true;
    }

    synchronized int visibleCount() {
        returnExpired(nanoClock.getAsLong());
        return ready.size();
    }

    synchronized int inFlightCount() {
        returnExpired(nanoClock.getAsLong());
        return inFlightByReceipt.size();
    }

    /** Long polls waiting now (for tests: a send after this is seen to be above zero must wake one). */
    synchronized int waitingReceives() {
        return (int) waiters.stream().filter(waiter -> !waiter.answer.isDone()).count();
    }

    /** Drops every message; waiting long polls go on waiting. */
    synchronized void purge() {
        ready.clear();
        inFlightByReceipt.clear();
        inFlightByDeadline.clear();
    }

    /** Answers every waiting long poll with no messages (the queue is going away). */
    void close() {
        List<Waiter> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(waiters);
            waiters.clear();
            waiting.forEach(waiter -> timers.cancel(waiter.timerId));
        }
        waiting.forEach(waiter -> waiter.answer.complete(List.of()));
    }

    /** A waiter's timer: look again for returned messages, answer empty at the deadline, or wait on. */
    private void onTimer(Waiter waiter) {
        List<Runnable> answers = new ArrayList<>();
        synchronized (this) {
            if (waiter.answer.isDone() || !waiters.contains(waiter)) {
                return;
            }
            long now = nanoClock.getAsLong();
            returnExpired(now);
            if (!ready.isEmpty()) {
                answers.addAll(wakeWaiters(now));
            } else if (now - waiter.deadlineNanos >= 0) {
                waiters.remove(waiter);
                answers.add(() -> waiter.answer.complete(List.of()));
            } else {
                arm(waiter, now);
            }
        }
        answers.forEach(Runnable::run);
    }

    /** Sets the waiter's timer for its deadline, or for the next in-flight message's return if that comes first. */
    private void arm(Waiter waiter, long now) {
        long wakeAt = waiter.deadlineNanos;
        if (!inFlightByDeadline.isEmpty()) {
            long nextReturn = inFlightByDeadline.first().visibleAgainNanos();
            wakeAt = nextReturn - wakeAt < 0 ? nextReturn : wakeAt;
        }
        long delayMillis = Math.max(1, Duration.ofNanos(wakeAt - now).toMillis() + 1);
        waiter.timerId = timers.schedule(delayMillis, () -> onTimer(waiter));
    }

    /** Hands ready messages to waiters in arrival order; the answers are to be completed after the lock. */
    private List<Runnable> wakeWaiters(long now) {
        List<Runnable> answers = new ArrayList<>();
        while (!ready.isEmpty() && !waiters.isEmpty()) {
            Waiter waiter = waiters.pollFirst();
            if (waiter.answer.isDone()) {
                continue;
            }
            timers.cancel(waiter.timerId);
            List<Message> messages = take(waiter.options, now);
            answers.add(() -> {
                if (!waiter.answer.complete(messages)) {
                    returnUnanswered(messages);
                }
            });
        }
        return answers;
    }

    /** A waiter cancelled between being picked and being answered: its messages are visible again at once. */
    private void returnUnanswered(List<Message> messages) {
        List<Runnable> answers;
        synchronized (this) {
            for (Message message : messages) {
                InFlight received = inFlightByReceipt.remove(message.receiptHandle());
                if (received != null) {
                    inFlightByDeadline.remove(received);
                    ready.addFirst(received.message());
                }
            }
            answers = wakeWaiters(nanoClock.getAsLong());
        }
        answers.forEach(Runnable::run);
    }

    private List<Message> take(ReceiveOptions options, long now) {
        int count = Math.min(options.maxMessages(), ready.size());
        List<Message> taken = new ArrayList<>(count);
        Duration visibility = options.visibility() != null ? options.visibility() : defaultVisibility;
        for (int i = 0; i < count; i++) {
            StoredMessage message = ready.pollFirst();
            long sequence = sequences.incrementAndGet();
            InFlight received = new InFlight(message.messageId() + "#" + sequence, now + visibility.toNanos(), sequence,
                    message);
            inFlightByReceipt.put(received.receiptHandle(), received);
            inFlightByDeadline.add(received);
            Map<String, MessageAttributeValue> attributes = options.selectAttributes(message.attributes());
            taken.add(new Message(message.messageId(), received.receiptHandle(), message.md5OfBody(), message.body(),
                    null, attributes.isEmpty() ? null : MessageMd5.ofMessageAttributes(attributes),
                    attributes.isEmpty() ? null : new TreeMap<>(attributes)));
        }
        return taken;
    }

    /** Makes every message whose visibility deadline has passed visible again, ahead of the never-received ones. */
    private void returnExpired(long now) {
        while (!inFlightByDeadline.isEmpty() && inFlightByDeadline.first().visibleAgainNanos() - now <= 0) {
            InFlight expired = inFlightByDeadline.pollFirst();
            inFlightByReceipt.remove(expired.receiptHandle());
            ready.addFirst(expired.message());
        }
    }

    private String messageId() {
        return java.util.UUID.randomUUID().toString();
    }
}
