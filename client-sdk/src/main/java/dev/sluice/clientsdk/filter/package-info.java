/**
 * A content-filter matcher over JSON trees (the pattern family of SNS filter policies and EventBridge /
 * Lambda filter criteria); imports only Jackson's tree model. Service-specific limits stay with callers.
 */
package dev.sluice.clientsdk.filter;
