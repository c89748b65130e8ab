package dev.sluice.raftstore.spi;

/** Creates the engine for a data group on this node; called once per group and per (re)start. */
@FunctionalInterface
public interface EngineFactory {
    DomainEngine create(int dataGroupIndex);
}
