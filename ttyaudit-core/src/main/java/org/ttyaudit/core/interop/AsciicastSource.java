package org.ttyaudit.core.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ttyaudit.core.asciicast.AsciicastFormatException;
import org.ttyaudit.core.asciicast.AsciicastReader;
import org.ttyaudit.core.asciicast.CastEvent;
import org.ttyaudit.core.asciicast.CastHeader;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.ResizeEvent;

/**
 * An asciicast v2 or v3 file (asciinema) as a {@link SessionSource}, over the {@link AsciicastReader} that
 * checks the file: {@code o} is output, {@code i} input, {@code r} a resize, {@code m} a marker named
 * {@code asciicast-marker} with the label as detail, {@code x} (v3) the exit status. Events with codes the spec
 * may add later are left out and counted in the notes.
 */
public final class AsciicastSource implements SessionSource {
    /** The marker an asciicast {@code m} event becomes. */
    public static final String MARKER = "asciicast-marker";
    /** 9999-12-31T23:59:59Z: a start beyond it is a damaged header, not a recording. */
    private static final long LATEST_TIMESTAMP = 253402300799L;

    private final String name;
    private final CountingInputStream counted;
    private final AsciicastReader reader;
    private final SourceMetadata metadata;
    private final Map<String, Integer> skipped = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private long lastMicros;
    private Integer exitStatus;
    private boolean done;

    /**
     * Reads the header of {@code in}.
     *
     * @param name          the file's name in error messages
     * @param fallbackStart the start to assume when the header has no timestamp (the file's modification time)
     */
    public AsciicastSource(String name, InputStream in, Instant fallbackStart) throws IOException {
        this.name = name;
        this.counted = new CountingInputStream(in);
        try {
            this.reader = AsciicastReader.open(counted);
        } catch (AsciicastFormatException e) {
            throw new ImportFormatException(name, e.getMessage());
        }
        Long ts = reader.header().timestamp();
        if (ts != null && (ts < 0 || ts > LATEST_TIMESTAMP)) {
            throw new ImportFormatException(name, "line 1: \"timestamp\" " + ts + " is not a time from 1970 to 9999");
        }
        this.metadata = metadataOf(reader.header(), fallbackStart);
        if (reader.header().cols() == 0) {
            notes.add("the cast has no terminal size (0x0: recorded without a terminal); assumed 80x24");
        }
    }

    private static SourceMetadata metadataOf(CastHeader h, Instant fallbackStart) {
        Map<String, String> tags = new HashMap<>();
        if (h.title() != null) {
            tags.put("title", h.title());
        }
        if (h.env().get("SHELL") != null) {
            tags.put("shell", h.env().get("SHELL"));
        }
        Instant start = h.timestamp() == null ? null : Instant.ofEpochSecond(h.timestamp());
        if (start == null && fallbackStart != null) {
            start = fallbackStart;
            tags.put("start_estimated", "file-mtime");
        }
        boolean noSize = h.cols() == 0;
        return new SourceMetadata(h.format().cliName(), h.env().get("USER"), null, null, null, h.termType(),
                noSize ? 80 : h.cols(), noSize ? 24 : h.rows(), start,
                h.command() == null ? List.of() : List.of(h.command()), "full", tags);
    }

    @Override
    public SourceMetadata metadata() {
        return metadata;
    }

    @Override
    public Event next() throws IOException {
        while (!done) {
            CastEvent e;
            try {
                e = reader.next();
            } catch (AsciicastFormatException ex) {
                throw new ImportFormatException(name, ex.getMessage());
            }
            if (e == null) {
                done = true;
                return null;
            }
            long t = e.timeMicros();
            lastMicros = Math.max(lastMicros, t);
            switch (e.code()) {
                case "o":
                    return new OutputEvent(t, e.data().getBytes(StandardCharsets.UTF_8));
                case "i":
                    return new InputEvent(t, e.data().getBytes(StandardCharsets.UTF_8));
                case "r": {
                    // The reader checked COLSxROWS with both in 1..65535.
                    int x = e.data().indexOf('x');
                    return new ResizeEvent(t, Integer.parseInt(e.data().substring(0, x)),
                            Integer.parseInt(e.data().substring(x + 1)));
                }
                case "m":
                    return new MarkerEvent(t, MARKER, e.data());
                case "x":
                    exitStatus = exitStatus(e.data());
                    break;
                default:
                    skipped.merge(e.code(), 1, Integer::sum);
            }
        }
        return null;
    }

    /** The reader let through up to 10 digits; a status outside an int is not one a process can have. */
    private Integer exitStatus(String data) throws ImportFormatException {
        long v = Long.parseLong(data);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ImportFormatException(name, "exit status " + data + " is out of range");
        }
        return (int) v;
    }

    @Override
    public SourceEnd end() {
        if (!done) {
            throw new IllegalStateException("the end is known only after the last event");
        }
        List<String> notes = new ArrayList<>(this.notes);
        skipped.forEach((code, n) -> notes.add("left out " + n + " event" + (n == 1 ? "" : "s") + " with the code \""
                + code + "\", which ttyaudit does not know"));
        return new SourceEnd(lastMicros, exitStatus, null, notes);
    }

    @Override
    public long bytesRead() {
        return counted.count();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
