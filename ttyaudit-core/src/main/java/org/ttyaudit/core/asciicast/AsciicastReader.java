package org.ttyaudit.core.asciicast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an asciicast v2 or v3 file: the header at once, then one event per {@link #next()} call, so files of any
 * size stream through. v3 intervals are summed into times since the start, so callers see one time base.
 *
 * <p>Checks what an importer relies on: the header's version and size, each event being a JSON array of time,
 * code and data, times never going backwards, {@code r} data being {@code COLSxROWS} and {@code x} data an integer.
 * Blank lines are skipped; in v3, lines starting with {@code #} are comments. Unknown event codes pass through, as
 * the spec asks. Anything else that is wrong throws {@link AsciicastFormatException} naming the line and the
 * problem; the file's bytes must be UTF-8.
 *
 * <p>The caller owns the reader passed in; {@link #close()} closes it. Not thread-safe.
 */
public final class AsciicastReader implements Closeable {
    /** Longest line accepted, in chars: a bound on memory for a hostile file. */
    public static final int MAX_LINE_CHARS = 64 * 1024 * 1024;

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,5})x([0-9]{1,5})");
    private static final Pattern EXIT_STATUS = Pattern.compile("-?[0-9]{1,10}");

    private final Closeable in;
    private final LineSource lines;
    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final CastHeader header;
    private long lineNumber;
    private long lastMicros;

    /** Starts reading {@code in}; reads and checks the header line before returning. */
    public AsciicastReader(Reader in) throws IOException {
        this(Objects.requireNonNull(in, "in"), new CharLines(in));
    }

    private AsciicastReader(Closeable in, LineSource lines) throws IOException {
        this.in = in;
        this.lines = lines;
        this.mapper = new ObjectMapper();
        this.factory = mapper.getFactory();
        String first = readLine();
        if (first == null || first.isBlank()) {
            throw new AsciicastFormatException(Math.max(lineNumber, 1), "empty file: expected an asciicast header");
        }
        this.header = parseHeader(first);
    }

    /**
     * Reads UTF-8 bytes. Each line is decoded on its own, so bytes that are not UTF-8 are reported as a format
     * error naming their line.
     */
    public static AsciicastReader open(InputStream in) throws IOException {
        return new AsciicastReader(Objects.requireNonNull(in, "in"), new ByteLines(in));
    }

    /** Reads a whole file into memory. */
    public static CastFile readAll(Reader in) throws IOException {
        try (AsciicastReader reader = new AsciicastReader(in)) {
            List<CastEvent> events = new ArrayList<>();
            for (CastEvent e = reader.next(); e != null; e = reader.next()) {
                events.add(e);
            }
            return new CastFile(reader.header(), events);
        }
    }

    public CastHeader header() {
        return header;
    }

    /** The next event, or null at the end of the file. */
    public CastEvent next() throws IOException {
        while (true) {
            String text = readLine();
            if (text == null) {
                return null;
            }
            if (text.isBlank() || (header.format() == AsciicastFormat.V3 && text.startsWith("#"))) {
                continue;
            }
            return parseEvent(text);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private CastHeader parseHeader(String text) throws AsciicastFormatException {
        if (text.startsWith("#")) {
            throw fail("the first line must be the header, not a comment");
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw fail("header is not valid JSON: " + ErrorText.oneLine(e.getOriginalMessage()));
        } catch (NumberFormatException | ArithmeticException e) {
            throw fail("header has a number that cannot be read: " + ErrorText.oneLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw fail("header must be a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber()) {
            throw fail("header has no integer \"version\"");
        }
        AsciicastFormat format = AsciicastFormat.fromVersion(version.asInt());
        if (format == null || !version.canConvertToInt()) {
            throw fail("unsupported asciicast version " + version + " (expected 2 or 3)");
        }
        int cols;
        int rows;
        String termType;
        Map<String, String> env = stringMap(root, "env");
        if (format == AsciicastFormat.V2) {
            cols = size(root, "width", "width", "height");
            rows = size(root, "height", "height", "width");
            termType = env.get("TERM");
        } else {
            JsonNode term = root.get("term");
            if (term == null || !term.isObject()) {
                throw fail("v3 header has no \"term\" object");
            }
            cols = size(term, "cols", "term.cols", "rows");
            rows = size(term, "rows", "term.rows", "cols");
            termType = optionalString(term, "type", "term.type");
        }
        Long timestamp = null;
        JsonNode ts = root.get("timestamp");
        if (ts != null && !ts.isNull()) {
            if (!ts.isNumber() || !ts.canConvertToLong()) {
                throw fail("\"timestamp\" must be a number of seconds, got " + ErrorText.shorten(ts.toString()));
            }
            timestamp = ts.asLong();
        }
        Double idle = null;
        JsonNode idleNode = root.get("idle_time_limit");
        if (idleNode != null && !idleNode.isNull()) {
            if (!idleNode.isNumber() || idleNode.asDouble() <= 0 || !Double.isFinite(idleNode.asDouble())) {
                throw fail("\"idle_time_limit\" must be a positive number, got " + ErrorText.shorten(idleNode.toString()));
            }
            idle = idleNode.asDouble();
        }
        return new CastHeader(format, cols, rows, timestamp, optionalString(root, "command", "command"),
                optionalString(root, "title", "title"), termType, idle, env);
    }

    private CastEvent parseEvent(String text) throws AsciicastFormatException {
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw fail("event must be a JSON array [time, code, data]");
            }
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw fail("event time must be a number, got " + describe(p, t));
            }
            double approx = p.getDoubleValue();
            // Range check on the double first: BigDecimal refuses (or chokes on) absurd exponents.
            long micros = approx >= 0 && approx <= CastTime.MAX_SECONDS ? exactMicros(p, approx) : -1;
            if (micros < 0) {
                throw fail("event time must be between 0 and " + (long) CastTime.MAX_SECONDS + " seconds, got "
                        + ErrorText.shorten(p.getText()));
            }
            if (p.nextToken() != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
                throw fail("event code must be a non-empty string");
            }
            String code = p.getText();
            t = p.nextToken();
            String data;
            if (t == JsonToken.VALUE_STRING) {
                data = p.getText();
            } else if (t == null || t == JsonToken.END_ARRAY) {
                throw fail("event has no data: expected [time, code, data]");
            } else if (isKnown(code)) {
                throw fail("data of a \"" + code + "\" event must be a string, got " + describe(p, t));
            } else {
                data = mapper.readTree(p).toString();
            }
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw fail("event has more than 3 elements: expected [time, code, data]");
            }
            if (p.nextToken() != null) {
                throw fail("unexpected text after the event array");
            }
            return new CastEvent(time(micros), code, check(code, data));
        } catch (AsciicastFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw fail("invalid JSON: " + ErrorText.oneLine(e.getOriginalMessage()));
        } catch (IOException | NumberFormatException | ArithmeticException e) {
            // A parser over a String does no I/O; what is left is a number Jackson or BigDecimal cannot take.
            throw fail("invalid JSON: " + ErrorText.oneLine(e.getMessage()));
        }
    }

    /** The time exactly to the microsecond where BigDecimal can take the number, else from the double. */
    private static long exactMicros(JsonParser p, double approx) throws IOException {
        try {
            return CastTime.toMicros(approx, p.getDecimalValue());
        } catch (NumberFormatException e) {
            // e.g. 3e-99999999999999999999: a value in range written with an exponent BigDecimal refuses.
            return Math.round(approx * 1e6);
        }
    }

    private long time(long micros) throws AsciicastFormatException {
        if (header.format() == AsciicastFormat.V2) {
            if (micros < lastMicros) {
                throw fail("event time " + seconds(micros) + " is before the previous event's " + seconds(lastMicros)
                        + " (v2 times must not go backwards)");
            }
            lastMicros = micros;
        } else {
            long sum = lastMicros + micros;
            if (sum > (long) (CastTime.MAX_SECONDS * 1e6)) {
                throw fail("the sum of intervals exceeds " + (long) CastTime.MAX_SECONDS + " seconds");
            }
            lastMicros = sum;
        }
        return lastMicros;
    }

    private String check(String code, String data) throws AsciicastFormatException {
        if (code.equals("r")) {
            Matcher m = SIZE.matcher(data);
            if (!m.matches() || Integer.parseInt(m.group(1)) == 0 || Integer.parseInt(m.group(2)) == 0
                    || Integer.parseInt(m.group(1)) > 0xFFFF || Integer.parseInt(m.group(2)) > 0xFFFF) {
                throw fail("resize data must be COLSxROWS, got " + quote(data));
            }
        } else if (code.equals("x") && !EXIT_STATUS.matcher(data).matches()) {
            throw fail("exit data must be an integer status, got " + quote(data));
        }
        return data;
    }

    private static boolean isKnown(String code) {
        return switch (code) {
            case "o", "i", "m", "r", "x" -> true;
            default -> false;
        };
    }

    /**
     * One dimension of the size. 0 is accepted only when the other dimension ({@code otherField}) is 0 too: asciinema
     * writes 0x0 when it records without a terminal, and such casts exist.
     */
    private int size(JsonNode node, String field, String shownName, String otherField)
            throws AsciicastFormatException {
        JsonNode v = node.get(field);
        JsonNode other = node.get(otherField);
        if (v != null && v.isIntegralNumber() && v.asLong() == 0 && other != null && other.isIntegralNumber()
                && other.asLong() == 0) {
            return 0;
        }
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0 || v.asInt() > 0xFFFF) {
            throw fail("header needs \"" + shownName + "\" as an integer from 1 to 65535, got "
                    + (v == null ? "nothing" : ErrorText.shorten(v.toString())));
        }
        return v.asInt();
    }

    private String optionalString(JsonNode node, String field, String shownName) throws AsciicastFormatException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw fail("\"" + shownName + "\" must be a string, got " + ErrorText.shorten(v.toString()));
        }
        return v.asText();
    }

    private Map<String, String> stringMap(JsonNode root, String field) throws AsciicastFormatException {
        JsonNode v = root.get(field);
        Map<String, String> map = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return map;
        }
        if (!v.isObject()) {
            throw fail("\"" + field + "\" must be an object");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            // asciinema writes null for variables that were not set; those carry nothing.
            if (e.getValue().isTextual()) {
                map.put(e.getKey(), e.getValue().asText());
            }
        }
        return map;
    }

    /** Reads one line without its terminator; null at the end. Counts lines. */
    private String readLine() throws IOException {
        lineNumber++;
        String text;
        try {
            text = lines.next();
        } catch (CharacterCodingException e) {
            throw fail("the file is not valid UTF-8");
        } catch (LineTooLongException e) {
            throw fail("line is longer than " + MAX_LINE_CHARS + " characters");
        }
        if (text != null && text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /** Where lines come from: chars from a Reader, or bytes decoded one line at a time. */
    private interface LineSource {
        /** The next line without its '\n', or null at the end. */
        String next() throws IOException;
    }

    private static final class LineTooLongException extends IOException {
    }

    private static final class CharLines implements LineSource {
        private final Reader in;
        private final StringBuilder line = new StringBuilder();
        private boolean eof;

        CharLines(Reader in) {
            this.in = in instanceof BufferedReader ? in : new BufferedReader(in);
        }

        @Override
        public String next() throws IOException {
            if (eof) {
                return null;
            }
            line.setLength(0);
            while (true) {
                int c = in.read();
                if (c == -1) {
                    eof = true;
                    return line.length() == 0 ? null : line.toString();
                }
                if (c == '\n') {
                    return line.toString();
                }
                if (line.length() >= MAX_LINE_CHARS) {
                    throw new LineTooLongException();
                }
                line.append((char) c);
            }
        }
    }

    private static final class ByteLines implements LineSource {
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final byte[] buf = new byte[65536];
        private int pos;
        private int limit;
        private byte[] line = new byte[1024];
        private boolean eof;

        ByteLines(InputStream in) {
            this.in = in;
        }

        @Override
        public String next() throws IOException {
            if (eof) {
                return null;
            }
            int len = 0;
            while (true) {
                if (pos == limit) {
                    limit = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        eof = true;
                        return len == 0 ? null : decode(len);
                    }
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    return decode(len);
                }
                if (len == line.length) {
                    // UTF-8 needs at most 4 bytes per char, but a char count limit is what we promise; bytes
                    // beyond 4x the limit cannot fit it.
                    if (len >= MAX_LINE_CHARS * 4L) {
                        throw new LineTooLongException();
                    }
                    line = Arrays.copyOf(line, (int) Math.min(len * 2L, MAX_LINE_CHARS * 4L));
                }
                line[len++] = b;
            }
        }

        private String decode(int len) throws IOException {
            String s = decoder.decode(ByteBuffer.wrap(line, 0, len)).toString();
            if (s.length() > MAX_LINE_CHARS) {
                throw new LineTooLongException();
            }
            return s;
        }
    }

    private AsciicastFormatException fail(String problem) {
        return new AsciicastFormatException(lineNumber, problem);
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            return "the end of the line";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case END_ARRAY -> "the end of the array";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> quote(p.getText());
            default -> ErrorText.shorten(p.getText());
        };
    }

    private static String seconds(long micros) {
        return String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private static String quote(String s) {
        return "\"" + ErrorText.shorten(s) + "\"";
    }
}
