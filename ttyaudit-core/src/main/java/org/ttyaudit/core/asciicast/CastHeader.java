package org.ttyaudit.core.asciicast;

import java.util.Map;
import java.util.Objects;

/**
 * The header of an asciicast file, the same shape for v2 and v3.
 *
 * @param format        the version the file declared
 * @param cols          initial width (v2 {@code width}, v3 {@code term.cols}); 0 together with {@code rows} when the
 *                      cast has no size (asciinema writes 0x0 when it records without a terminal)
 * @param rows          initial height (v2 {@code height}, v3 {@code term.rows}); 0 together with {@code cols}
 * @param timestamp     Unix seconds of the start, or null when absent
 * @param command       the recorded command line, or null
 * @param title         the title, or null
 * @param termType      the terminal type (v2 {@code env.TERM}, v3 {@code term.type}), or null
 * @param idleTimeLimit seconds, or null
 * @param env           captured environment variables (string values only), never null
 */
public record CastHeader(AsciicastFormat format, int cols, int rows, Long timestamp, String command, String title,
                         String termType, Double idleTimeLimit, Map<String, String> env) {
    public CastHeader {
        Objects.requireNonNull(format, "format");
        boolean noSize = cols == 0 && rows == 0;
        if (!noSize && (cols <= 0 || rows <= 0 || cols > 0xFFFF || rows > 0xFFFF)) {
            throw new IllegalArgumentException("terminal size out of range: " + cols + "x" + rows);
        }
        env = Map.copyOf(env == null ? Map.of() : env);
    }
}
