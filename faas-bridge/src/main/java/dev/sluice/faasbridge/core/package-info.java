/**
 * The bridge's rules as plain values: functions, event source mappings and their validation, the
 * Lambda partial-batch response rules, which messages a settled batch deletes, and scaling
 * decisions. Imports client-sdk's model only; no Vert.x, Ratis or I/O.
 */
package dev.sluice.faasbridge.core;
