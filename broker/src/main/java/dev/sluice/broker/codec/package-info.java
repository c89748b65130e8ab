/** Binary encodings of queue commands, results and stored records (never JSON). Imports core and raft-store's codec only. */
package dev.sluice.broker.codec;
