package dev.sluice.broker.auth.policy;

import java.util.regex.Pattern;

/**
 * An IAM wildcard: {@code *} any run of characters (none included), {@code ?} exactly one, everything else
 * literal. Compiled once when the policy is parsed. Immutable.
 */
record Wildcard(String text, Pattern pattern) {

    static Wildcard of(String text, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return new Wildcard(text, Pattern.compile(regex.toString(), flags));
    }

    boolean matches(String value) {
        return value != null && pattern.matcher(value).matches();
    }
}
