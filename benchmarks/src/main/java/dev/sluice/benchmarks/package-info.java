/** JMH micro-benchmarks and end-to-end load generators. */
package dev.sluice.benchmarks;
