/** Big-endian binary framing of commands, proposals, log entries and replies. Imports nothing but the JDK. */
package dev.sluice.raftstore.codec;
