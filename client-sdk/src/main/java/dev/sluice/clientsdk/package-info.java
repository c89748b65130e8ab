/** The Sluice API contract and Java HTTP client; depends on no other Sluice module. */
package dev.sluice.clientsdk;
