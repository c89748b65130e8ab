/**
 * Access policies: an IAM policy parser ({@link dev.sluice.broker.auth.policy.PolicyParser}) that refuses what it
 * cannot evaluate, IAM's evaluation logic ({@link dev.sluice.broker.auth.policy.PolicyEvaluator}), the managed
 * policies, and the {@link dev.sluice.broker.auth.AccessCheck} built on them. Pure: Jackson, client-sdk's CIDR
 * blocks and the JDK; no Vert.x, no API package.
 */
package dev.sluice.broker.auth.policy;
