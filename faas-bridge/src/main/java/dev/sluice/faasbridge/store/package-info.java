/** Where functions and mappings live: the replicated catalog, in a versioned binary format. Imports core, raft-store and client-sdk's error catalogue. */
package dev.sluice.faasbridge.store;
