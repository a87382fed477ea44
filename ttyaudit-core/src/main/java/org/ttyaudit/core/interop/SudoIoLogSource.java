package org.ttyaudit.core.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ttyaudit.core.asciicast.ErrorText;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.ResizeEvent;

/**
 * A sudo I/O log directory ({@code Defaults log_output}/{@code log_input}; sudoers(5) "I/O LOG FILES") as a
 * {@link SessionSource}.
 *
 * <p>{@code log.json} (sudo 1.9; else the older {@code log}) gives the metadata. The {@code timing} file drives
 * everything else: one line per event, {@code TYPE DELAY REST}, DELAY in seconds since the previous event.
 * Types 0-4 are I/O ({@code REST} = byte count) on {@code stdin}, {@code stdout}, {@code stderr}, {@code ttyin},
 * {@code ttyout}: the bytes are taken from the file of that name, in order. {@code ttyin} and {@code stdin} become
 * input events, the rest output. Type 5 is a window change ({@code REST} = rows cols), 6 the ttyout of sudo
 * 1.8.7's buggy timing files (which number everything 2 higher from then on, as sudoreplay assumes), 7 a
 * suspend or resume ({@code REST} = signal name), kept as a {@code suspend} marker. Every file may be gzip
 * compressed (sudo's default {@code compress_io}); it is recognised by its magic bytes.
 */
public final class SudoIoLogSource implements SessionSource {
    /** Largest event handed on: a huge write is split into pieces at the same time. */
    static final int MAX_PIECE = 256 * 1024;
    /** A timing line is a few dozen bytes; anything this long is not a timing file. */
    private static final int MAX_TIMING_LINE = 4096;
    /** Longest session accepted: 100 years, far beyond any session, keeps nanoseconds in a long. */
    private static final long MAX_NANOS = 100L * 366 * 24 * 3600 * 1_000_000_000;
    private static final Pattern DELAY = Pattern.compile("([0-9]{1,12})(?:[.,]([0-9]{1,9}))?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The I/O streams, in the order of their timing types 0-4. */
    private enum Stream {
        STDIN("stdin", true), STDOUT("stdout", false), STDERR("stderr", false), TTYIN("ttyin", true),
        TTYOUT("ttyout", false);

        final String file;
        final boolean input;

        Stream(String file, boolean input) {
            this.file = file;
            this.input = input;
        }
    }

    private final Path dir;
    private final String name;
    private final SourceMetadata metadata;
    private final Integer exitStatus;
    private final Integer signal;
    private final CountingInputStream timingBytes;
    private final TextLines timing;
    private final Map<Stream, InputStream> streams = new EnumMap<>(Stream.class);
    private final Map<Stream, Long> streamOffsets = new EnumMap<>(Stream.class);
    private final List<String> notes = new ArrayList<>();
    /** The files as read from disk (compressed bytes when compressed): what {@link #bytesRead()} adds up. */
    private final List<CountingInputStream> rawFiles = new ArrayList<>();
    private int typeShift;
    private long nanos;
    private long micros;
    /** The I/O event being handed on in pieces: its stream and how many bytes are left. */
    private Stream current;
    private long currentLeft;
    private long currentLine;
    private boolean done;

    /**
     * Opens the I/O log in {@code dir} (a path to one of its files is taken as its directory) and reads its
     * metadata.
     */
    public SudoIoLogSource(Path dir) throws IOException {
        if (Files.isRegularFile(dir) && dir.getParent() != null) {
            dir = dir.getParent();
        }
        this.dir = dir;
        this.name = dir.toString();
        if (!Files.isDirectory(dir)) {
            throw new ImportFormatException(name, "not a directory (a sudo I/O log is a directory with a timing file)");
        }
        if (!Files.exists(dir.resolve("timing"))) {
            throw new ImportFormatException(name, "no timing file: not a sudo I/O log directory");
        }
        Path json = dir.resolve("log.json");
        Map<String, String> tags = new HashMap<>();
        JsonNode info = null;
        if (Files.exists(json)) {
            info = readJson(json);
            this.metadata = fromJson(info, tags);
        } else if (Files.exists(dir.resolve("log"))) {
            this.metadata = fromLegacyLog(dir.resolve("log"), tags);
        } else {
            throw new ImportFormatException(name, "neither log.json nor log: the I/O log has no metadata");
        }
        this.exitStatus = info == null ? null : optionalInt(info, "exit_value", "log.json");
        this.signal = info == null ? null : signalNumber(info);
        if (timingStillWritable(dir.resolve("timing"))) {
            notes.add("the timing file is still writable: sudo had not finished this session (or was killed); "
                    + "the import holds what was logged so far");
        }
        this.timingBytes = new CountingInputStream(Files.newInputStream(dir.resolve("timing")));
        this.timing = new TextLines(decompressed(timingBytes, "timing"), name + "/timing", MAX_TIMING_LINE);
    }

    @Override
    public SourceMetadata metadata() {
        return metadata;
    }

    @Override
    public Event next() throws IOException {
        while (true) {
            if (current != null) {
                return piece();
            }
            if (done) {
                return null;
            }
            String line;
            try {
                line = timing.next();
            } catch (EOFException | ZipException e) {
                throw new ImportFormatException(name + "/timing", "compressed data is cut short or damaged after "
                        + "line " + timing.number() + " (" + ErrorText.oneLine(e.getMessage()) + ")");
            }
            if (line == null) {
                done = true;
                return null;
            }
            if (line.isBlank()) {
                continue;
            }
            Event e = timingLine(line);
            if (e != null) {
                return e;
            }
        }
    }

    /** Parses one timing line; returns its event, or null when it starts an I/O event handed on in pieces. */
    private Event timingLine(String line) throws IOException {
        String[] f = line.trim().split("[ \t]+");
        if (f.length < 2 || !f[0].matches("[0-9]{1,2}")) {
            throw timingError("expected TYPE DELAY ..., got \"" + ErrorText.shorten(line) + "\"");
        }
        int type = Integer.parseInt(f[0]);
        if (type == 6) {
            typeShift = 2; // sudo 1.8.7 wrote every type 2 too high from here on; sudoreplay corrects it so
        }
        type -= typeShift;
        if (type < 0 || type > 7 || type == 6) {
            throw timingError("unknown event type " + f[0]);
        }
        micros = addDelay(f[1]);
        if (type <= 4) {
            Stream s = Stream.values()[type];
            long count = number(f, 2, "byte count");
            if (f.length != 3) {
                throw timingError("an I/O event needs TYPE DELAY COUNT");
            }
            if (count == 0) {
                return null;
            }
            open(s);
            current = s;
            currentLeft = count;
            currentLine = timing.number();
            return null;
        }
        if (type == 5) {
            long rows = number(f, 2, "rows");
            long cols = number(f, 3, "columns");
            if (f.length != 4) {
                throw timingError("a window change needs TYPE DELAY ROWS COLUMNS");
            }
            if (rows < 1 || cols < 1 || rows > 0xFFFF || cols > 0xFFFF) {
                throw timingError("window size " + cols + "x" + rows + " is out of range");
            }
            return new ResizeEvent(micros, (int) cols, (int) rows);
        }
        if (f.length != 3 || !f[2].matches("[A-Z0-9+-]{1,16}")) {
            throw timingError("a suspend event needs TYPE DELAY SIGNAL");
        }
        return new MarkerEvent(micros, "suspend", "signal=" + f[2]);
    }

    /** The next piece (at most {@link #MAX_PIECE} bytes) of the I/O event being handed on. */
    private Event piece() throws IOException {
        int n = (int) Math.min(currentLeft, MAX_PIECE);
        InputStream in = streams.get(current);
        byte[] data;
        try {
            data = in.readNBytes(n);
        } catch (EOFException | ZipException e) {
            throw new ImportFormatException(name + "/" + current.file, "compressed data is cut short or damaged "
                    + "after byte " + streamOffsets.get(current) + " (" + ErrorText.oneLine(e.getMessage()) + ")");
        }
        long offset = streamOffsets.get(current);
        if (data.length < n) {
            throw new ImportFormatException(name + "/" + current.file, "ends after " + (offset + data.length)
                    + " bytes, but timing line " + currentLine + " needs " + (currentLeft - data.length)
                    + " more");
        }
        streamOffsets.put(current, offset + n);
        Stream s = current;
        currentLeft -= n;
        if (currentLeft == 0) {
            current = null;
        }
        return s.input ? new InputEvent(micros, data) : new OutputEvent(micros, data);
    }

    private void open(Stream s) throws IOException {
        if (streams.containsKey(s)) {
            return;
        }
        Path file = dir.resolve(s.file);
        CountingInputStream raw;
        try {
            raw = new CountingInputStream(Files.newInputStream(file));
        } catch (NoSuchFileException e) {
            throw timingError("names " + s.file + ", which the directory does not have");
        }
        rawFiles.add(raw);
        streams.put(s, decompressed(raw, s.file));
        streamOffsets.put(s, 0L);
    }

    /** {@code in} itself, or gunzipped when it starts with gzip's magic bytes. */
    private InputStream decompressed(InputStream in, String file) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 64 * 1024);
        b.mark(2);
        int b0 = b.read();
        int b1 = b.read();
        b.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new GZIPInputStream(b, 64 * 1024);
            } catch (EOFException | ZipException e) {
                throw new ImportFormatException(name + "/" + file, "gzip header is cut short or damaged");
            }
        }
        return b;
    }

    /** Adds the delay to the session's clock (kept in nanoseconds, so rounding does not add up); returns µs. */
    private long addDelay(String text) throws ImportFormatException {
        Matcher m = DELAY.matcher(text);
        if (!m.matches()) {
            throw timingError("delay must be seconds like 0.004373913, got \"" + ErrorText.shorten(text) + "\"");
        }
        long seconds = Long.parseLong(m.group(1));
        String fraction = m.group(2) == null ? "" : m.group(2);
        long fractionNanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "00000000").substring(0, 9));
        if (seconds > MAX_NANOS / 1_000_000_000L || nanos + seconds * 1_000_000_000L + fractionNanos > MAX_NANOS) {
            throw timingError("the delays add up to more than 100 years");
        }
        nanos += seconds * 1_000_000_000L + fractionNanos;
        return (nanos + 500) / 1000;
    }

    private long number(String[] f, int index, String what) throws ImportFormatException {
        if (f.length <= index || !f[index].matches("[0-9]{1,12}")) {
            throw timingError(what + " must be a number");
        }
        return Long.parseLong(f[index]);
    }

    private ImportFormatException timingError(String problem) {
        return new ImportFormatException(name + "/timing", "line " + timing.number() + ": " + problem);
    }

    @Override
    public SourceEnd end() {
        if (!done) {
            throw new IllegalStateException("the end is known only after the last event");
        }
        return new SourceEnd(micros, exitStatus, signal, notes);
    }

    @Override
    public long bytesRead() {
        long n = timingBytes.count();
        for (CountingInputStream f : rawFiles) {
            n += f.count();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        List<InputStream> all = new ArrayList<>(streams.values());
        all.add(timingBytes);
        for (InputStream in : all) {
            try {
                in.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // --- metadata ---

    private JsonNode readJson(Path json) throws IOException {
        byte[] bytes = Files.readAllBytes(json);
        if (bytes.length > 16 * 1024 * 1024) {
            throw new ImportFormatException(name + "/log.json", "larger than 16 MiB: not sudo's metadata");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ImportFormatException(name + "/log.json", "must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ImportFormatException(name + "/log.json", "not valid JSON: "
                    + ErrorText.oneLine(e.getOriginalMessage()));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ImportFormatException(name + "/log.json", "a number cannot be read");
        }
    }

    private SourceMetadata fromJson(JsonNode j, Map<String, String> tags) throws ImportFormatException {
        String where = "log.json";
        JsonNode ts = j.get("timestamp");
        if (ts == null || !ts.isObject()) {
            throw new ImportFormatException(name + "/" + where, "no \"timestamp\" object");
        }
        long secs = longField(ts, "seconds", where);
        long nanos = ts.has("nanoseconds") ? longField(ts, "nanoseconds", where) : 0;
        if (secs < 0 || secs > 253402300799L || nanos < 0 || nanos > 999_999_999) {
            throw new ImportFormatException(name + "/" + where, "timestamp out of range");
        }
        Instant start = Instant.ofEpochSecond(secs, nanos);
        put(tags, "cwd", string(j, "submitcwd", where));
        put(tags, "run_as_user", string(j, "runuser", where));
        put(tags, "run_as_group", string(j, "rungroup", where));
        put(tags, "run_cwd", string(j, "runcwd", where));
        Integer runUid = optionalInt(j, "runuid", where);
        put(tags, "run_as_uid", runUid == null ? null : runUid.toString());
        List<String> command = stringList(j, "runargv", where);
        String cmd = string(j, "command", where);
        if (!command.isEmpty() && cmd != null) {
            command.set(0, cmd); // argv[0] is the name as typed; the command field is the resolved path
        } else if (command.isEmpty() && cmd != null) {
            command.add(cmd);
        }
        String term = null;
        for (String var : stringList(j, "runenv", where)) {
            if (var.startsWith("TERM=")) {
                term = var.substring(5);
            }
        }
        Integer uid = optionalInt(j, "submituid", where);
        String tty = string(j, "ttyname", where);
        return new SourceMetadata("sudo", string(j, "submituser", where), uid == null ? null : uid.longValue(),
                string(j, "submithost", where), tty, term, size(optionalInt(j, "columns", where), 80),
                size(optionalInt(j, "lines", where), 24), start, command, captureOf(), tags);
    }

    /** The log file of sudo before 1.9: {@code start:user:runas_user:runas_group:tty:lines:cols}, cwd, command. */
    private SourceMetadata fromLegacyLog(Path log, Map<String, String> tags) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        if (bytes.length > 1024 * 1024) {
            throw new ImportFormatException(name + "/log", "larger than 1 MiB: not sudo's metadata");
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        String[] f = lines[0].split(":", -1);
        if (f.length < 5 || !f[0].matches("[0-9]{1,12}")) {
            throw new ImportFormatException(name + "/log", "line 1 must be START:USER:RUNAS_USER:RUNAS_GROUP:TTY"
                    + "[:LINES:COLUMNS]");
        }
        put(tags, "run_as_user", f[2]);
        put(tags, "run_as_group", f[3]);
        if (lines.length > 1) {
            put(tags, "cwd", lines[1]);
        }
        List<String> command = lines.length > 2 && !lines[2].isEmpty() ? List.of(lines[2]) : List.of();
        String tty = f[4].isEmpty() || f[4].equals("unknown") ? null : f[4];
        int rows = f.length > 5 && f[5].matches("[0-9]{1,5}") ? size(Integer.parseInt(f[5]), 24) : 24;
        int cols = f.length > 6 && f[6].matches("[0-9]{1,5}") ? size(Integer.parseInt(f[6]), 80) : 80;
        return new SourceMetadata("sudo", f[1].isEmpty() ? null : f[1], null, null, tty, null, cols, rows,
                Instant.ofEpochSecond(Long.parseLong(f[0])), command, captureOf(), tags);
    }

    /** {@code output} when the log cannot hold keystrokes (no ttyin or stdin file): what the header says. */
    private String captureOf() {
        return Files.exists(dir.resolve("ttyin")) || Files.exists(dir.resolve("stdin")) ? "full" : "output";
    }

    private Integer signalNumber(JsonNode info) throws ImportFormatException {
        String sig = string(info, "signal", "log.json");
        if (sig == null) {
            return null;
        }
        Integer n = Signals.number(sig);
        if (n == null) {
            notes.add("log.json names the signal " + ErrorText.shorten(sig) + ", which ttyaudit does not know");
        }
        return n;
    }

    private static int size(Integer v, int fallback) {
        return v == null || v < 1 || v > 0xFFFF ? fallback : v;
    }

    private static void put(Map<String, String> tags, String key, String value) {
        if (value != null && !value.isEmpty()) {
            tags.put(key, value);
        }
    }

    private String string(JsonNode j, String field, String where) throws ImportFormatException {
        JsonNode v = j.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ImportFormatException(name + "/" + where, "\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private List<String> stringList(JsonNode j, String field, String where) throws ImportFormatException {
        JsonNode v = j.get(field);
        List<String> list = new ArrayList<>();
        if (v == null || v.isNull()) {
            return list;
        }
        if (!v.isArray()) {
            throw new ImportFormatException(name + "/" + where, "\"" + field + "\" must be an array of strings");
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new ImportFormatException(name + "/" + where, "\"" + field + "\" must be an array of strings");
            }
            list.add(e.asText());
        }
        return list;
    }

    private Integer optionalInt(JsonNode j, String field, String where) throws ImportFormatException {
        JsonNode v = j.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ImportFormatException(name + "/" + where, "\"" + field + "\" must be an integer");
        }
        return v.asInt();
    }

    private long longField(JsonNode j, String field, String where) throws ImportFormatException {
        JsonNode v = j.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ImportFormatException(name + "/" + where, "\"timestamp\" needs an integer \"" + field + "\"");
        }
        return v.asLong();
    }

    /** sudo finishes a session by taking the write permission off its timing file. */
    private static boolean timingStillWritable(Path timing) {
        try {
            return Files.getPosixFilePermissions(timing).contains(PosixFilePermission.OWNER_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
