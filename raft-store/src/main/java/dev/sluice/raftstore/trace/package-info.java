/** Where a request's time goes between threads: a JDK Flight Recorder event, free unless a recording enables it. Imports the JDK only. */
package dev.sluice.raftstore.trace;
