package org.ttyaudit.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

/** A fixed session header and end for the benchmarks (a bash login on an 80×24 xterm). */
final class Sessions {
    static final Instant START = Instant.parse("2025-05-01T12:00:00Z");

    private Sessions() {
    }

    static SessionHeader header() {
        return new SessionHeader(new SessionId(UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057")),
                "recorder", "alice", 1000, "web1", "/dev/pts/3", "192.0.2.10", "xterm-256color", 80, 24, START,
                List.of("/bin/bash", "-l"), "full", "0.1.0", Map.of("shell", "/bin/bash"));
    }

    static SessionEnd end() {
        return new SessionEnd(START.plusSeconds(3600), 0, null, "exit");
    }
}
