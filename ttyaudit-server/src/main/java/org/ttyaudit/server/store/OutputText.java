package org.ttyaudit.server.store;

import java.util.Objects;
import java.util.UUID;

/** Output of one chunk as plain text for full-text search; a hit points at the chunk's first offset. */
public record OutputText(UUID sessionId, long chunkSeq, long firstOffsetMicros, String text) {
    public OutputText {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(text, "text");
    }
}
