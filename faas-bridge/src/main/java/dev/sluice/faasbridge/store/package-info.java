/** Where functions and mappings live: the replicated catalog, in a versioned binary format. Imports core and raft-store. */
package dev.sluice.faasbridge.store;
