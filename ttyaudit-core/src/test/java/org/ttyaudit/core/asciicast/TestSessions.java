package org.ttyaudit.core.asciicast;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

/** Small session fixtures and export helpers for the asciicast tests. */
final class TestSessions {
    static final Instant START = Instant.parse("2025-03-04T05:06:07.250Z");
    static final SessionId ID = new SessionId(UUID.fromString("0190b5c8-1234-7abc-8def-0123456789ab"));

    private TestSessions() {
    }

    static SessionHeader header() {
        return header(Map.of());
    }

    static SessionHeader header(Map<String, String> tags) {
        return new SessionHeader(ID, "recorder", "alice", 1000, "db1", "/dev/pts/3", null, "xterm-256color",
                80, 24, START, List.of("/bin/bash", "-l"), "full", "0.1.0", tags);
    }

    static SessionEnd endAfterMicros(long micros, int status) {
        return new SessionEnd(START.plusNanos(micros * 1000), status, null, "exit");
    }

    static String export(AsciicastFormat format, AsciicastOptions options, List<? extends Event> events,
                         SessionEnd end) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsciicastWriter.export(header(), events, end, out, format, options);
        return out.toString(StandardCharsets.UTF_8);
    }

    static CastFile read(String cast) throws IOException {
        return AsciicastReader.readAll(new StringReader(cast));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
