package org.ttyaudit.server.live;

import org.ttyaudit.core.asciicast.AsciicastFormat;
import org.ttyaudit.core.asciicast.AsciicastOptions;
import org.ttyaudit.core.asciicast.AsciicastWriter;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.SessionHeader;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One viewer's session as asciicast v2 lines, one WebSocket frame each: the header, then {@code o} output,
 * {@code r} resizes and {@code m} markers (the command line at each command start), never keystrokes. The
 * encoding is core's {@link AsciicastWriter}, so a character split across events (or chunks) is carried over
 * and invalid UTF-8 becomes U+FFFD exactly as in an export.
 *
 * <p>Not thread-safe: one per viewer, used by its sender thread.
 */
final class CastFrames {
    private final StringWriter buffer = new StringWriter();
    private final AsciicastWriter writer;

    CastFrames() {
        try {
            writer = new AsciicastWriter(buffer, AsciicastFormat.V2, new AsciicastOptions(false, true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String header(SessionHeader header) {
        try {
            writer.writeHeader(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringWriter does not fail
        }
        List<String> lines = take();
        return lines.get(0);
    }

    /** The frames for one event: none (a keystroke, a command end, half a character), one, or rarely more. */
    List<String> event(Event event) {
        try {
            writer.writeEvent(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return take();
    }

    /** The last frames when the session ends: a character left incomplete becomes U+FFFD. */
    List<String> finish() {
        try {
            writer.finish(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return take();
    }

    private List<String> take() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuffer b = buffer.getBuffer();
        if (b.length() == 0) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(2);
        int from = 0;
        for (int i = 0; i < b.length(); i++) {
            if (b.charAt(i) == '\n') {   // JSON escapes newlines inside strings: each '\n' ends a line
                lines.add(b.substring(from, i));
                from = i + 1;
            }
        }
        b.delete(0, from);
        return lines;
    }
}
