/** The SNS Query protocol: form parameters to service calls, results and errors to SNS XML. No Vert.x. */
package dev.sluice.notify.api.sns;
