package org.ttyaudit.core.interop;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a foreign session log says about its session, before any event: the importer turns it into the record's
 * session header (kind {@code import}). Fields a format does not carry are null; the importer fills them in.
 *
 * @param format    the source format as named in the {@code import_format} tag: {@code asciicast-v2},
 *                  {@code asciicast-v3}, {@code sudo}, {@code tlog}
 * @param user      the recorded user's login name, or null when the format does not say
 * @param uid       the user's uid, or null when unknown
 * @param host      the host the session ran on, or null
 * @param tty       the user's terminal, or null
 * @param term      the terminal type ({@code TERM}), or null
 * @param cols      initial width, 1..65535
 * @param rows      initial height, 1..65535
 * @param startedAt the session's start, or null when the source has no clock time
 * @param command   the command that ran, as argv (one element when the format has only a command line), or empty
 * @param capture   {@code full} when the source may hold keystrokes, {@code output} when it cannot
 * @param tags      what else the format says (docs/INTEROP.md lists them per format)
 */
public record SourceMetadata(String format, String user, Long uid, String host, String tty, String term, int cols,
                             int rows, Instant startedAt, List<String> command, String capture,
                             Map<String, String> tags) {
    public SourceMetadata {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(capture, "capture");
        if (cols <= 0 || rows <= 0 || cols > 0xFFFF || rows > 0xFFFF) {
            throw new IllegalArgumentException("window size out of range: " + cols + "x" + rows);
        }
        command = List.copyOf(command == null ? List.of() : command);
        tags = Map.copyOf(tags == null ? Map.of() : tags);
    }
}
