package org.ttyaudit.cli;

import org.ttyaudit.core.interop.SessionSource;
import org.ttyaudit.core.interop.SourceDigest;
import org.ttyaudit.core.interop.SourceEnd;
import org.ttyaudit.core.interop.SourceMetadata;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.ResizeEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.core.screen.ScreenCommand;
import org.ttyaudit.core.screen.ScreenCommands;
import org.ttyaudit.recorder.log.ChunkSink;
import org.ttyaudit.recorder.log.MaskingChunkSink;
import org.ttyaudit.recorder.log.RecordFileSink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Writes a foreign session log ({@link SessionSource}) as a ttyaudit record of kind {@code import}, through the
 * same path as a live session: the same secret masking of keystrokes and echo ({@link MaskingChunkSink}), the
 * same chunking, hash chain and framing ({@link RecordFileSink}). What the log does not say comes from
 * {@link Defaults}; where the record came from goes into the header's tags (docs/INTEROP.md).
 */
final class SessionImporter {
    /** A chunk is sealed at this much event data (the recorder seals at 1 MiB or 1 s). */
    static final int CHUNK_BYTES = 1024 * 1024;
    /** A larger output or input event is stored as pieces of this size at the same time. */
    static final int MAX_EVENT_BYTES = 256 * 1024;
    /** Exit status of a session whose log does not record one; the end reason says {@code unknown}. */
    static final int UNKNOWN_EXIT = -1;

    /**
     * What fills in for metadata a log lacks, and what the import records about itself.
     *
     * @param user       the user when the log names none (the importing user, or --user)
     * @param host       the host when the log names none (this host, or --host)
     * @param importedBy the importing user, kept in the {@code imported_by} tag
     * @param now        the import's time: the {@code imported_at} tag, and the start of a log without a clock
     */
    record Defaults(String user, String host, String importedBy, Instant now) {
    }

    /** What was imported. */
    record Result(SessionHeader header, long events, SessionEnd end, List<String> notes) {
    }

    private SessionImporter() {
    }

    /** The header of the record for {@code source}: kind {@code import}, the log's metadata, the import's tags. */
    static SessionHeader header(SourceMetadata m, Path path, SourceDigest digest, Defaults d, String version) {
        Instant start = m.startedAt() != null ? m.startedAt() : d.now();
        Map<String, String> tags = new HashMap<>(m.tags());
        if (m.startedAt() == null) {
            tags.put("start_estimated", "import-time");
        }
        tags.put("import_format", m.format());
        tags.put("import_source", path.toAbsolutePath().normalize().toString());
        tags.put("import_sha256", digest.sha256());
        tags.put("imported_at", d.now().toString());
        tags.put("imported_by", d.importedBy());
        // The id carries the session's own start, so imported sessions sort among the others by when they ran.
        SessionId id = SessionId.newId(Clock.fixed(start, ZoneOffset.UTC));
        return new SessionHeader(id, "import", m.user() != null ? m.user() : d.user(), m.uid() != null ? m.uid() : -1,
                m.host() != null ? m.host() : d.host(), m.tty(), null, m.term(), m.cols(), m.rows(), start,
                m.command(), m.capture(), version, tags);
    }

    /**
     * Reads {@code source} to the end into a new record file {@code file} with {@code header}. {@code progress}
     * is told how many bytes of the log have been read. On failure the file is left as far as it got (the
     * caller removes it).
     */
    static Result write(SessionSource source, SessionHeader header, Path file, SecretMasker masker,
                        LongConsumer progress) throws IOException {
        long events = 0;
        // A log with keystrokes has its command lines on the screen, as a gateway session does: read them off it.
        Commands commands = header.capture().equals("full") ? new Commands(header, masker) : null;
        try (ChunkSink sink = MaskingChunkSink.interactive(RecordFileSink.create(file, header), masker)) {
            sink.start();
            List<Event> batch = new ArrayList<>();
            long batchBytes = 0;
            for (Event e = source.next(); e != null; e = source.next()) {
                for (Event piece : pieces(e)) {
                    batch.add(piece);
                    batchBytes += size(piece);
                    events++;
                    if (commands != null) {
                        events += commands.after(piece, batch);
                    }
                }
                if (batchBytes >= CHUNK_BYTES || batch.size() >= 65_536) {
                    sink.writeChunk(batch);
                    batch = new ArrayList<>();
                    batchBytes = 0;
                    progress.accept(source.bytesRead());
                }
            }
            if (!batch.isEmpty()) {
                sink.writeChunk(batch);
            }
            progress.accept(source.bytesRead());
            SourceEnd end = source.end();
            SessionEnd sessionEnd = sessionEnd(header.startedAt(), end);
            sink.finish(sessionEnd);
            return new Result(header, events, sessionEnd, end.notes());
        }
    }

    static SessionEnd sessionEnd(Instant start, SourceEnd end) {
        Instant endedAt = start.plus(end.durationMicros(), ChronoUnit.MICROS);
        if (end.exitStatus() == null && end.signal() == null) {
            return new SessionEnd(endedAt, UNKNOWN_EXIT, null, "unknown");
        }
        int status = end.exitStatus() != null ? end.exitStatus() : 128 + end.signal();
        return new SessionEnd(endedAt, status, end.signal(), end.signal() != null ? "signal" : "exit");
    }

    /**
     * Command lines read off a model of the screen ({@link ScreenCommands}, the gateway's source), each a
     * {@code command-start} event of source {@code screen} at the time the Enter was seen, masked like every
     * command line.
     */
    private static final class Commands {
        private final ScreenCommands screen;
        private final SecretMasker masker;
        private long nextId = 1;

        Commands(SessionHeader header, SecretMasker masker) {
            this.screen = new ScreenCommands(header.cols(), header.rows());
            this.masker = masker;
        }

        /** Feeds {@code e} to the screen; appends the commands it completed to {@code out}; returns how many. */
        int after(Event e, List<Event> out) {
            if (e instanceof OutputEvent o) {
                screen.output(o.offsetMicros(), o.data(), 0, o.data().length);
            } else if (e instanceof InputEvent i) {
                screen.input(i.offsetMicros(), i.data(), 0, i.data().length);
            } else if (e instanceof ResizeEvent r) {
                screen.resized(r.cols(), r.rows());
            }
            List<ScreenCommand> done = screen.drain();
            for (ScreenCommand c : done) {
                out.add(new CommandStartEvent(e.offsetMicros(), nextId++, masker.mask(c.commandLine()), null,
                        CommandSource.SCREEN));
            }
            return done.size();
        }
    }

    /** The event, or pieces of it: a log may hold one write of many megabytes, a chunk payload has a limit. */
    private static List<Event> pieces(Event e) {
        byte[] data = e instanceof OutputEvent o ? o.data() : e instanceof InputEvent i ? i.data() : null;
        if (data == null || data.length <= MAX_EVENT_BYTES) {
            return List.of(e);
        }
        List<Event> pieces = new ArrayList<>();
        for (int from = 0; from < data.length; from += MAX_EVENT_BYTES) {
            byte[] part = Arrays.copyOfRange(data, from, Math.min(data.length, from + MAX_EVENT_BYTES));
            pieces.add(e instanceof OutputEvent ? new OutputEvent(e.offsetMicros(), part)
                    : new InputEvent(e.offsetMicros(), part));
        }
        return pieces;
    }

    private static long size(Event e) {
        return e instanceof OutputEvent o ? o.data().length : e instanceof InputEvent i ? i.data().length : 16;
    }
}
