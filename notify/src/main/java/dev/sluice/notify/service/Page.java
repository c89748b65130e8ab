package dev.sluice.notify.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** One page of a list action and the token for the next (null on the last page). */
public record Page<T>(List<T> items, String nextToken) {
    public Page {
        items = List.copyOf(items);
    }

    /** SNS's list actions return at most 100 items a page. */
    static final int SIZE = 100;

    static String token(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The catalog key a token resumes after; InvalidParameter for a token we did not issue. */
    static String resumeAfter(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw dev.sluice.clientsdk.SnsError.invalidParameter("NextToken");
        }
    }
}
