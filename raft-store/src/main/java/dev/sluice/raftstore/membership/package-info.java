/** The cluster's desired layout (nodes, replicas and preferred leaders per group), its codec and placement, the operator commands that change it, and the workers that reconcile Ratis memberships to it. */
package dev.sluice.raftstore.membership;
