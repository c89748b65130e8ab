package dev.sluice.raftstore.statemachine;

/** Told when a group's state machine hit an error it must not skip; the node then stops serving. */
@FunctionalInterface
public interface FatalErrorListener {
    void onFatalError(String group, Throwable error);
}
