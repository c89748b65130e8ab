/** The contract between raft-store and the domain engines it hosts. Imports nothing but the JDK and the codec package. */
package dev.sluice.raftstore.spi;
