package org.ttyaudit.recorder.upload;

import org.ttyaudit.core.format.RecordFileWriter;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Record files for upload tests, written with the production writer. */
public final class TestRecords {
    public static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

    private TestRecords() {
    }

    public static SessionHeader header(SessionId id) {
        return new SessionHeader(id, "recorder", "alice", 1000, "web1", "/dev/pts/3", null, "xterm", 80, 24, START,
                List.of("/bin/bash"), "full", "test", Map.of());
    }

    public static SessionId newId() {
        return SessionId.newId(Clock.systemUTC());
    }

    /** The events of chunk {@code n}: a little output that names the chunk. */
    public static List<Event> chunk(int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(new OutputEvent(n * 1_000_000L + i, ("chunk " + n + " line " + i + "\r\n")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return events;
    }

    public static SessionEnd end() {
        return new SessionEnd(START.plusSeconds(60), 0, null, "exit");
    }

    /** Writes a session with {@code chunks} chunks, with an end record when {@code finish}. */
    public static Path write(Path file, SessionId id, int chunks, boolean finish) throws IOException {
        try (RecordFileWriter w = RecordFileWriter.create(file, header(id))) {
            for (int i = 0; i < chunks; i++) {
                w.appendChunk(chunk(i));
            }
            if (finish) {
                w.finish(end());
            }
        }
        return file;
    }
}
