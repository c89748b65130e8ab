package dev.sluice.broker.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A number of bytes, written and parsed with binary units: {@code 512}, {@code 256KiB}, {@code 4MiB}, {@code 1GiB}. */
public record ByteSize(long bytes) {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,18})\\s*(B|KIB|MIB|GIB)?");

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    public static ByteSize ofKibibytes(long kibibytes) {
        return new ByteSize(Math.multiplyExact(kibibytes, 1024L));
    }

    public static ByteSize ofMebibytes(long mebibytes) {
        return new ByteSize(Math.multiplyExact(mebibytes, 1024L * 1024));
    }

    /** Throws IllegalArgumentException saying what is accepted. */
    public static ByteSize parse(String text) {
        Matcher matcher = TEXT.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size (like 512, 256KiB, 4MiB, 1GiB): '" + text + "'");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        long factor = switch (unit) {
            case "KIB" -> 1024L;
            case "MIB" -> 1024L * 1024;
            case "GIB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        try {
            return new ByteSize(Math.multiplyExact(number, factor));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
    }

    /** The largest exact binary unit: {@code 4MiB}, {@code 1536KiB}, {@code 100B}. */
    @Override
    public String toString() {
        String[] units = {"GiB", "MiB", "KiB"};
        long[] factors = {1024L * 1024 * 1024, 1024L * 1024, 1024L};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % factors[i] == 0) {
                return bytes / factors[i] + units[i];
            }
        }
        return bytes + "B";
    }
}
