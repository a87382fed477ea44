package org.ttyaudit.core.asciicast;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.model.ResizeEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;

/**
 * Writes a session as an asciicast v2 or v3 file (newline-delimited JSON), streaming: one line per event as the
 * events come, so a session of any size needs constant memory.
 *
 * <p>Call {@link #writeHeader} once, then {@link #writeEvent} for each event in stream order, then
 * {@link #finish}. How events map:
 * <ul>
 *   <li>{@link OutputEvent} → {@code o}; the bytes are decoded by a {@link Utf8Carry}, so a character split across
 *       events appears whole in the later event and invalid bytes become U+FFFD. An event that only holds the
 *       start of a character writes no line.</li>
 *   <li>{@link InputEvent} → {@code i}, only with {@link AsciicastOptions#withInput()} (own carry).</li>
 *   <li>{@link RedactedInputEvent} → an {@code m} marker labelled {@code input redacted}, only with input; the byte
 *       count is left out on purpose, as the length of a password is itself a hint.</li>
 *   <li>{@link ResizeEvent} → {@code r} with {@code COLSxROWS}.</li>
 *   <li>{@link CommandStartEvent} → {@code m} labelled with the command line; {@link MarkerEvent} → {@code m}
 *       labelled {@code [name] detail}; both only with {@link AsciicastOptions#commandMarkers()}.</li>
 *   <li>{@link CommandEndEvent}, {@link ExecEvent} → nothing (asciicast has no place for them).</li>
 *   <li>{@link SessionEnd} → in v3 an {@code x} event with the exit status; v2 has no exit event.</li>
 * </ul>
 * v2 times are seconds since the start; v3 times are seconds since the previous line. Both are written with six
 * decimals, so microsecond offsets survive a round trip exactly. A time that goes backwards (a damaged stream) is
 * clamped to the previous time so the file stays valid.
 *
 * <p>The caller owns the stream: {@link #close()} flushes but does not close it. Not thread-safe. I/O errors are
 * thrown as {@link IOException}; calls out of order throw {@link IllegalStateException}.
 */
public final class AsciicastWriter implements Closeable {
    /** Immutable once built and thread-safe, as Jackson documents for factories. */
    private static final JsonFactory FACTORY =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./=:,@%+^-]+");

    private final JsonGenerator json;
    private final AsciicastFormat format;
    private final AsciicastOptions options;
    private final Utf8Carry outputCarry = new Utf8Carry();
    private final Utf8Carry inputCarry = new Utf8Carry();
    private final char[] timeBuf = new char[CastTime.MAX_CHARS];
    private long lastOutputMicros;
    private long lastInputMicros;
    private char[] textBuf = new char[8192];
    private long startEpochMicros;
    private long lastMicros;
    private State state = State.NEW;

    private enum State { NEW, EVENTS, FINISHED }

    /** Writes UTF-8 bytes to {@code out} (buffered inside; the caller need not buffer). */
    public AsciicastWriter(OutputStream out, AsciicastFormat format, AsciicastOptions options) throws IOException {
        this(FACTORY.createGenerator(Objects.requireNonNull(out, "out"), JsonEncoding.UTF8), format, options);
    }

    /** Writes text to {@code out}; whoever turns it into bytes must use UTF-8, which asciicast requires. */
    public AsciicastWriter(Writer out, AsciicastFormat format, AsciicastOptions options) throws IOException {
        this(FACTORY.createGenerator(Objects.requireNonNull(out, "out")), format, options);
    }

    private AsciicastWriter(JsonGenerator json, AsciicastFormat format, AsciicastOptions options) {
        this.format = Objects.requireNonNull(format, "format");
        this.options = Objects.requireNonNull(options, "options");
        this.json = json;
        // Lines are separated by '\n' written by hand; Jackson's default separator between root values is a space.
        this.json.setRootValueSeparator(null);
    }

    /**
     * Exports a whole session: header, events, end. {@code end} may be null for a session that did not end
     * cleanly (then v3 has no {@code x} event).
     */
    public static void export(SessionHeader header, Iterable<? extends Event> events, SessionEnd end,
                              OutputStream out, AsciicastFormat format, AsciicastOptions options) throws IOException {
        try (AsciicastWriter writer = new AsciicastWriter(out, format, options)) {
            writer.writeHeader(header);
            for (Event e : events) {
                writer.writeEvent(e);
            }
            writer.finish(end);
        }
    }

    /** Writes the header line. Must be the first call. */
    public void writeHeader(SessionHeader header) throws IOException {
        Objects.requireNonNull(header, "header");
        if (state != State.NEW) {
            throw new IllegalStateException("header already written");
        }
        startEpochMicros = header.startedAt().getEpochSecond() * 1_000_000L + header.startedAt().getNano() / 1000;
        String shell = header.tags().get("shell");
        json.writeStartObject();
        json.writeNumberField("version", format.version());
        if (format == AsciicastFormat.V2) {
            json.writeNumberField("width", header.cols());
            json.writeNumberField("height", header.rows());
        } else {
            json.writeObjectFieldStart("term");
            json.writeNumberField("cols", header.cols());
            json.writeNumberField("rows", header.rows());
            if (header.term() != null) {
                json.writeStringField("type", clean(header.term()));
            }
            json.writeEndObject();
        }
        json.writeNumberField("timestamp", header.startedAt().getEpochSecond());
        if (!header.command().isEmpty()) {
            json.writeStringField("command", clean(shellJoin(header.command())));
        }
        json.writeStringField("title", clean(header.user() + "@" + header.host() + " (session " + header.sessionId()
                + ")"));
        boolean v2Term = format == AsciicastFormat.V2 && header.term() != null;
        if (v2Term || shell != null) {
            json.writeObjectFieldStart("env");
            if (shell != null) {
                json.writeStringField("SHELL", clean(shell));
            }
            if (v2Term) {
                json.writeStringField("TERM", clean(header.term()));
            }
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeRaw('\n');
        state = State.EVENTS;
    }

    /** Writes the line(s) for one event, or nothing when the event has no asciicast form (see class doc). */
    public void writeEvent(Event event) throws IOException {
        Objects.requireNonNull(event, "event");
        requireEvents();
        if (event instanceof OutputEvent o) {
            writeBytes(o.offsetMicros(), "o", outputCarry, o.data());
        } else if (event instanceof InputEvent i) {
            if (options.withInput()) {
                writeBytes(i.offsetMicros(), "i", inputCarry, i.data());
            }
        } else if (event instanceof RedactedInputEvent r) {
            if (options.withInput()) {
                // Whatever was carried belongs before the hidden input; do not glue it to what follows.
                flushCarry(r.offsetMicros(), "i", inputCarry);
                writeString(r.offsetMicros(), "m", "input redacted");
            }
        } else if (event instanceof ResizeEvent r) {
            writeString(r.offsetMicros(), "r", r.cols() + "x" + r.rows());
        } else if (event instanceof CommandStartEvent c) {
            if (options.commandMarkers()) {
                writeString(c.offsetMicros(), "m", clean(c.commandLine()));
            }
        } else if (event instanceof MarkerEvent m) {
            if (options.commandMarkers()) {
                String label = "[" + m.name() + "]" + (m.detail().isEmpty() ? "" : " " + m.detail());
                writeString(m.offsetMicros(), "m", clean(label));
            }
        }
        // CommandEndEvent and ExecEvent have no asciicast form.
    }

    /**
     * Ends the file: an incomplete character still carried is written as U+FFFD, and in v3 an {@code x} event
     * with {@code end}'s exit status follows (none when {@code end} is null). Flushes the stream.
     */
    public void finish(SessionEnd end) throws IOException {
        requireEvents();
        // A character still incomplete at the end belongs to the last event of its stream.
        flushCarry(lastOutputMicros, "o", outputCarry);
        if (options.withInput()) {
            flushCarry(lastInputMicros, "i", inputCarry);
        }
        if (end != null && format == AsciicastFormat.V3) {
            long endMicros = end.endedAt().getEpochSecond() * 1_000_000L + end.endedAt().getNano() / 1000
                    - startEpochMicros;
            writeString(Math.max(endMicros, 0), "x", Integer.toString(end.exitStatus()));
        }
        state = State.FINISHED;
        json.flush();
    }

    /**
     * Pushes the lines written so far to the stream (a live stream sends each line as soon as it exists); the
     * file stays open for more events.
     */
    public void flush() throws IOException {
        json.flush();
    }

    /** Flushes what was written; does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        json.close();
    }

    private void requireEvents() {
        if (state == State.NEW) {
            throw new IllegalStateException("writeHeader must come first");
        }
        if (state == State.FINISHED) {
            throw new IllegalStateException("already finished");
        }
    }

    private void writeBytes(long micros, String code, Utf8Carry carry, byte[] data) throws IOException {
        int room = Utf8Carry.maxChars(data.length);
        if (textBuf.length < room) {
            textBuf = new char[Math.max(room, textBuf.length * 2)];
        }
        int n = carry.decode(data, 0, data.length, textBuf, 0);
        if (n > 0) {
            writeLine(micros, code, textBuf, n);
        }
        if (carry == outputCarry) {
            lastOutputMicros = micros;
        } else {
            lastInputMicros = micros;
        }
    }

    private void flushCarry(long micros, String code, Utf8Carry carry) throws IOException {
        int n = carry.flush(textBuf, 0);
        if (n > 0) {
            writeLine(micros, code, textBuf, n);
        }
    }

    private void writeString(long micros, String code, String data) throws IOException {
        writeTime(micros, code);
        json.writeString(data);
        json.writeEndArray();
        json.writeRaw('\n');
    }

    private void writeLine(long micros, String code, char[] text, int len) throws IOException {
        writeTime(micros, code);
        json.writeString(text, 0, len);
        json.writeEndArray();
        json.writeRaw('\n');
    }

    private void writeTime(long micros, String code) throws IOException {
        long t = Math.max(micros, lastMicros);
        long shown = format == AsciicastFormat.V2 ? t : t - lastMicros;
        lastMicros = t;
        json.writeStartArray();
        int n = CastTime.format(shown, timeBuf);
        json.writeNumber(timeBuf, 0, n);
        json.writeString(code);
    }

    /** Joins argv so that a shell would split it the same way again. */
    static String shellJoin(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String arg : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (PLAIN_WORD.matcher(arg).matches()) {
                sb.append(arg);
            } else {
                sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }

    /**
     * Replaces unpaired UTF-16 surrogates, which cannot be written as UTF-8 (Jackson would fail the whole export
     * for one bad command line), with U+FFFD.
     */
    static String clean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                return replaceLoneSurrogates(s);
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                sb.append(Utf8Carry.REPLACEMENT);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
