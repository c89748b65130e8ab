package dev.sluice.broker.service;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.core.MoveTask;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.raftstore.client.GroupClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Drives running message move tasks while this node leads the queue group: every tick it proposes
 * one bounded step per task, at the task's rate. Steps are idempotent in effect (a step of a task
 * that ended does nothing), so a step proposed by a deposed leader is harmless.
 */
public final class MoveTaskWorker implements AutoCloseable {
    static final long TICK_MILLIS = 200;

    private final GroupClient group;
    /** This node's replica of the group (current while it leads, so never null then). */
    private final java.util.function.Supplier<QueueEngine> localReplica;
    private final BooleanSupplier isLeader;
    private final Set<String> stepping = ConcurrentHashMap.newKeySet();
    /** Messages each task may still move: grows by rate × tick, so rates below 5/s are kept too. */
    private final Map<String, Double> allowance = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> ticks;

    public MoveTaskWorker(GroupClient group, java.util.function.Supplier<QueueEngine> localReplica, BooleanSupplier isLeader, ScheduledExecutorService timers) {
        this.group = group;
        this.localReplica = localReplica;
        this.isLeader = isLeader;
        this.ticks = timers.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        QueueEngine replica = localReplica.get();
        if (!isLeader.getAsBoolean() || replica == null) {
            return;
        }
        List<MoveTask> running = replica.read(book -> book.moveTasks().running());
        allowance.keySet().retainAll(running.stream().map(MoveTask::handle).toList());
        for (MoveTask task : running) {
            double budget = allowance.merge(task.handle(), task.maxMessagesPerSecond() * TICK_MILLIS / 1000.0, Double::sum);
            int perTick = (int) Math.min(budget, task.maxMessagesPerSecond());
            if (perTick < 1 || !stepping.add(task.handle())) {
                continue;
            }
            allowance.merge(task.handle(), (double) -perTick, Double::sum);
            group.submit(QueueCommandCodec.encode(new QueueCommand.StepMoveTask(task.handle(), perTick, true)))
                    .whenComplete((result, error) -> stepping.remove(task.handle()));
        }
    }

    @Override
    public void close() {
        ticks.cancel(false);
    }
}
