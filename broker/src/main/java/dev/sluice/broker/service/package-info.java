/**
 * SQS request validation and the validating edge in front of the queue engine: limits in one
 * record, checks in one validator. Imports core and client-sdk; never Vert.x.
 */
package dev.sluice.broker.service;
