/** Notify's Vert.x routes: SNS Query on {@code /}, the signing certificate, and REST publish. */
package dev.sluice.notify.api.http;
