package org.ttyaudit.core.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ttyaudit.core.asciicast.ErrorText;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.ResizeEvent;

/**
 * A tlog recording (JSON messages, one per line, as {@code tlog-rec -w file} writes them; message format 2.x,
 * Scribery/tlog doc/log_format.md) as a {@link SessionSource}.
 *
 * <p>Each message carries {@code pos} (milliseconds since the recording's start) and a {@code timing} string
 * that distributes the message's text in time: {@code +N} waits N ms, {@code <N}/{@code >N} take N characters of
 * {@code in_txt}/{@code out_txt}, {@code [A/B}/{@code ]A/B} skip A replacement characters of the text and take B
 * raw bytes of {@code in_bin}/{@code out_bin}, {@code =CxR} is a window size. Input becomes input events (tlog
 * logs it only when configured to), output output events, sizes resize events.
 *
 * <p>The first message sets the recording ({@code rec}), user, host and terminal type; a message of another
 * recording is an error. Messages must come in {@code id} order; missing ids become an {@code import-gap} marker.
 * Everything a message names must be there, and every character it carries must be placed by its timing.
 */
public final class TlogSource implements SessionSource {
    /** Longest message line accepted: tlog's payload limit is a few KiB; this bounds memory on hostile input. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    /** The audit session id tlog writes when there is none ((unsigned) -1). */
    private static final long NO_AUDIT_SESSION = 4294967295L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final CountingInputStream counted;
    private final TextLines lines;
    private final SourceMetadata metadata;
    private final Deque<Event> pending = new ArrayDeque<>();
    private final List<String> notes = new ArrayList<>();
    private final String rec;
    private long lastId;
    private long lastPos = -1;
    private long lastMicros;
    /** The time of the last event parsed: later ones never go before it (pos has only millisecond precision). */
    private long lastQueued;
    private boolean skippedEmptyWindow;
    private boolean done;

    /**
     * Reads the first message of {@code in}.
     *
     * @param name          the file's name in error messages
     * @param fallbackStart the start to assume when the messages carry no clock time ({@code time}, format 2.3)
     */
    public TlogSource(String name, InputStream in, Instant fallbackStart) throws IOException {
        this.name = name;
        this.counted = new CountingInputStream(in);
        this.lines = new TextLines(counted, name, MAX_LINE_BYTES);
        JsonNode first = nextMessage();
        if (first == null) {
            throw new ImportFormatException(name, "empty file: expected tlog JSON messages");
        }
        this.rec = text(first, "rec");
        Message m = parse(first);
        int cols = 80;
        int rows = 24;
        // tlog starts a recording with the window size at time 0; that is the header's size, not a resize.
        if (!m.events.isEmpty() && m.events.get(0) instanceof ResizeEvent r && r.offsetMicros() == m.posMicros) {
            cols = r.cols();
            rows = r.rows();
            m.events.remove(0);
        } else {
            notes.add("the recording does not start with a window size; assumed 80x24");
        }
        Map<String, String> tags = new HashMap<>();
        tags.put("tlog_rec", rec);
        tags.put("tlog_version", text(first, "ver"));
        long session = first.get("session").asLong();
        if (session != NO_AUDIT_SESSION) {
            tags.put("audit_session", Long.toString(session));
        }
        Instant start = null;
        JsonNode time = first.get("time");
        if (time != null && time.isNumber() && time.asDouble() >= 0 && time.asDouble() < 1e11) {
            long millis = Math.round(time.asDouble() * 1000) - m.posMicros / 1000;
            start = Instant.ofEpochMilli(Math.max(0, millis));
        } else if (fallbackStart != null) {
            start = fallbackStart;
            tags.put("start_estimated", "file-mtime");
        }
        this.metadata = new SourceMetadata("tlog", text(first, "user"), null, text(first, "host"), null,
                text(first, "term"), cols, rows, start, List.of(), "full", tags);
        pending.addAll(m.events);
    }

    @Override
    public SourceMetadata metadata() {
        return metadata;
    }

    @Override
    public Event next() throws IOException {
        while (pending.isEmpty() && !done) {
            JsonNode node = nextMessage();
            if (node == null) {
                done = true;
            } else {
                if (!rec.equals(text(node, "rec"))) {
                    throw fail("message of another recording (rec " + text(node, "rec") + ", not " + rec
                            + "); import each recording from a file of its own");
                }
                pending.addAll(parse(node).events);
            }
        }
        Event e = pending.poll();
        if (e != null) {
            lastMicros = Math.max(lastMicros, e.offsetMicros());
        }
        return e;
    }

    @Override
    public SourceEnd end() {
        if (!done || !pending.isEmpty()) {
            throw new IllegalStateException("the end is known only after the last event");
        }
        return new SourceEnd(lastMicros, null, null, notes);
    }

    @Override
    public long bytesRead() {
        return counted.count();
    }

    @Override
    public void close() throws IOException {
        counted.close();
    }

    /** The next non-blank line as a JSON object with the fields every message has, or null at the end. */
    private JsonNode nextMessage() throws IOException {
        String text;
        do {
            text = lines.next();
            if (text == null) {
                return null;
            }
        } while (text.isBlank());
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw fail("not a JSON message: " + ErrorText.oneLine(e.getOriginalMessage()));
        } catch (NumberFormatException | ArithmeticException e) {
            throw fail("a number in the message cannot be read");
        }
        if (node == null || !node.isObject()) {
            throw fail("a tlog message must be a JSON object");
        }
        String ver = text(node, "ver");
        if (!ver.matches("2(\\.[0-9]{1,9})?")) {
            throw fail("unsupported tlog message version \"" + ErrorText.shorten(ver) + "\" (expected 2.x)");
        }
        for (String field : new String[] {"host", "rec", "user", "term"}) {
            text(node, field);
        }
        unsigned(node, "session");
        return node;
    }

    /** A message's events, with the checks that relate it to the messages before it. */
    private Message parse(JsonNode node) throws ImportFormatException {
        long id = unsigned(node, "id");
        long pos = unsigned(node, "pos");
        if (id == 0) {
            throw fail("message id must be at least 1");
        }
        if (id <= lastId) {
            throw fail("message id " + id + " after " + lastId + ": repeated or out of order");
        }
        if (pos < lastPos) {
            throw fail("message pos " + pos + " ms is before the previous message's " + lastPos + " ms");
        }
        if (pos > Long.MAX_VALUE / 1000 / 4) {
            throw fail("message pos " + pos + " ms is out of range");
        }
        Message m = new Message(pos * 1000);
        if (lastId != 0 && id > lastId + 1) {
            lastQueued = Math.max(m.posMicros, lastQueued);
            m.events.add(new MarkerEvent(lastQueued, "import-gap", "tlog messages "
                    + (lastId + 1) + (id - 1 > lastId + 1 ? ".." + (id - 1) : "") + " are missing"));
        }
        lastId = id;
        lastPos = pos;
        Stream in = new Stream("in", optionalText(node, "in_txt"), bytes(node, "in_bin"));
        Stream out = new Stream("out", optionalText(node, "out_txt"), bytes(node, "out_bin"));
        new TimingParser(m, text(node, "timing"), in, out).run();
        in.checkUsed();
        out.checkUsed();
        return m;
    }

    /** One message's events and its position. */
    private static final class Message {
        final long posMicros;
        final List<Event> events = new ArrayList<>();

        Message(long posMicros) {
            this.posMicros = posMicros;
        }
    }

    /** The text and raw bytes of one direction of a message, consumed as the timing says. */
    private final class Stream {
        final String label;
        final String text;
        final byte[] bin;
        int textPos; // in chars (UTF-16 units)
        int binPos;

        Stream(String label, String text, byte[] bin) {
            this.label = label;
            this.text = text;
            this.bin = bin;
        }

        /** The next {@code count} characters (code points) of the text, as UTF-8. */
        byte[] takeText(long count) throws ImportFormatException {
            int start = textPos;
            for (long i = 0; i < count; i++) {
                if (textPos >= text.length()) {
                    throw fail("timing takes " + count + " characters of " + label + "_txt, which has fewer left");
                }
                textPos += Character.charCount(text.codePointAt(textPos));
            }
            return text.substring(start, textPos).getBytes(StandardCharsets.UTF_8);
        }

        /** Skips {@code chars} replacement characters of the text and takes {@code count} raw bytes. */
        byte[] takeBinary(long chars, long count) throws ImportFormatException {
            takeText(chars);
            if (count > bin.length - binPos) {
                throw fail("timing takes " + count + " bytes of " + label + "_bin, which has fewer left");
            }
            byte[] b = java.util.Arrays.copyOfRange(bin, binPos, binPos + (int) count);
            binPos += (int) count;
            return b;
        }

        void checkUsed() throws ImportFormatException {
            if (textPos < text.length()) {
                throw fail("timing leaves " + text.codePointCount(textPos, text.length()) + " characters of " + label
                        + "_txt unplaced");
            }
            if (binPos < bin.length) {
                throw fail("timing leaves " + (bin.length - binPos) + " bytes of " + label + "_bin unplaced");
            }
        }
    }

    /** Walks a timing string, turning its records into events at their times. */
    private final class TimingParser {
        private final Message m;
        private final String timing;
        private final Stream in;
        private final Stream out;
        private int i;
        private long micros;

        TimingParser(Message m, String timing, Stream in, Stream out) {
            this.m = m;
            this.timing = timing;
            this.in = in;
            this.out = out;
            this.micros = m.posMicros;
        }

        void run() throws ImportFormatException {
            while (i < timing.length()) {
                char c = timing.charAt(i++);
                switch (c) {
                    case '+' -> {
                        micros += number() * 1000;
                        if (micros > Long.MAX_VALUE / 4) {
                            throw fail("timing delays add up to more than can be represented");
                        }
                    }
                    case '<' -> add(new InputEvent(at(), in.takeText(number())));
                    case '>' -> add(new OutputEvent(at(), out.takeText(number())));
                    case '[' -> {
                        long chars = number();
                        expect('/');
                        add(new InputEvent(at(), in.takeBinary(chars, number())));
                    }
                    case ']' -> {
                        long chars = number();
                        expect('/');
                        add(new OutputEvent(at(), out.takeBinary(chars, number())));
                    }
                    case '=' -> {
                        long cols = number();
                        expect('x');
                        long rows = number();
                        window(cols, rows);
                    }
                    default -> throw fail("timing has '" + printable(c) + "' at character " + i
                            + " (expected one of + < > [ ] =)");
                }
            }
        }

        private void window(long cols, long rows) throws ImportFormatException {
            if (cols == 0 && rows == 0) {
                // A recording without a terminal size (e.g. from a pipe): nothing to resize to.
                if (!skippedEmptyWindow) {
                    skippedEmptyWindow = true;
                    notes.add("left out window sizes of 0x0 (the recorded terminal had no size)");
                }
                return;
            }
            if (cols < 1 || rows < 1 || cols > 0xFFFF || rows > 0xFFFF) {
                throw fail("window size " + cols + "x" + rows + " is out of range");
            }
            add(new ResizeEvent(at(), (int) cols, (int) rows));
        }

        /** The current time, never before an event already parsed. */
        private long at() {
            lastQueued = Math.max(lastQueued, micros);
            return lastQueued;
        }

        private void add(Event e) {
            m.events.add(e);
        }

        private void expect(char c) throws ImportFormatException {
            if (i >= timing.length() || timing.charAt(i) != c) {
                throw fail("timing needs '" + c + "' at character " + (i + 1));
            }
            i++;
        }

        private long number() throws ImportFormatException {
            int start = i;
            long v = 0;
            while (i < timing.length() && timing.charAt(i) >= '0' && timing.charAt(i) <= '9') {
                v = v * 10 + (timing.charAt(i) - '0');
                if (v > Integer.MAX_VALUE) {
                    throw fail("timing has a number above " + Integer.MAX_VALUE + " at character " + (start + 1));
                }
                i++;
            }
            if (i == start) {
                throw fail("timing needs a number at character " + (start + 1));
            }
            return v;
        }
    }

    private String text(JsonNode node, String field) throws ImportFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw fail("\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private String optionalText(JsonNode node, String field) throws ImportFormatException {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : text(node, field);
    }

    private long unsigned(JsonNode node, String field) throws ImportFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw fail("\"" + field + "\" must be an unsigned integer");
        }
        return v.asLong();
    }

    private byte[] bytes(JsonNode node, String field) throws ImportFormatException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return new byte[0];
        }
        if (!v.isArray()) {
            throw fail("\"" + field + "\" must be an array of bytes");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(v.size());
        for (JsonNode e : v) {
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < 0 || e.asInt() > 255) {
                throw fail("\"" + field + "\" must hold integers from 0 to 255, not " + ErrorText.shorten(e.toString()));
            }
            b.write(e.asInt());
        }
        return b.toByteArray();
    }

    private ImportFormatException fail(String problem) {
        return new ImportFormatException(name, "line " + lines.number() + ": " + problem);
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7F ? String.format("\\x%02x", (int) c) : String.valueOf(c);
    }
}
