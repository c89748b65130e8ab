package dev.sluice.broker.api.rest;

import dev.sluice.clientsdk.SqsError;

/** Parsing of REST query and header values into the types the SQS records take; ranges are the validator's. */
final class RestParameters {

    private RestParameters() {
    }

    /** The integer in {@code value}, or null when absent; InvalidParameterValue when not an integer. */
    static Integer integer(String value, String name) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Value " + value + " for parameter " + name
                    + " is invalid. Reason: must be an integer.");
        }
    }

    /** {@code true} or {@code false} (false when absent); InvalidParameterValue for anything else. */
    static boolean bool(String value, String name) {
        if (value == null || value.isEmpty() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw SqsError.INVALID_PARAMETER_VALUE.exception("Value " + value + " for parameter " + name
                + " is invalid. Reason: must be true or false.");
    }
}
