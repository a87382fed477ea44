package org.ttyaudit.core.policy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte counts as people write them in configuration: a whole number with an optional binary unit, {@code 1024},
 * {@code 16KiB}, {@code 4MiB}, {@code 1GiB} (also {@code K}, {@code M}, {@code G} and {@code B}; the units are
 * powers of 1024 either way, as {@code dd} and the kernel count). Rates are a size with {@code /s}. Stateless.
 */
public final class ByteSize {
    /** The largest size accepted (1 TiB): beyond any sensible limit, and far from overflowing a long. */
    public static final long MAX = 1L << 40;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,13})\\s*([kmg]i?b?|b)?");

    private ByteSize() {
    }

    /**
     * Parses a size.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static long parse(String text) {
        String t = text == null ? "" : text.trim().replace("_", "").toLowerCase(Locale.ROOT);
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (expected e.g. 1024, 16KiB, 4MiB, 1GiB)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        if (n > MAX / factor) {
            throw new IllegalArgumentException("'" + text + "' is larger than 1TiB");
        }
        return n * factor;
    }

    /** Parses a rate, a size per second ({@code 4MiB/s}); the {@code /s} may be left out. */
    public static long parseRate(String text) {
        String t = text == null ? "" : text.trim();
        if (t.toLowerCase(Locale.ROOT).endsWith("/s")) {
            t = t.substring(0, t.length() - 2);
        }
        try {
            return parse(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a rate (expected e.g. 4MiB/s)");
        }
    }

    /** The shortest exact form: {@code 16KiB}, {@code 4MiB}, {@code 1000}. */
    public static String format(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long f = 1L << shifts[i];
            if (bytes >= f && bytes % f == 0) {
                return bytes / f + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
