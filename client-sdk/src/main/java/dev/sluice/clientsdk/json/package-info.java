/** Strict reading of JSON request bodies for the REST edges; Jackson only, no server types. */
package dev.sluice.clientsdk.json;
