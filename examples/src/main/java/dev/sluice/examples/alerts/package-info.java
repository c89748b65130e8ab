/**
 * The alert-handling example: a small HTTP function (Lambda SQS event in, partial batch response out) that
 * turns Prometheus Alertmanager webhook payloads into e-mail, SMS-gateway texts and service restarts.
 */
package dev.sluice.examples.alerts;
