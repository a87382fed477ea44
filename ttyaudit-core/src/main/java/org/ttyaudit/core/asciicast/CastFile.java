package org.ttyaudit.core.asciicast;

import java.util.List;
import java.util.Objects;

/** A whole asciicast file in memory: for tests and small files. Large files: use {@link AsciicastReader#next()}. */
public record CastFile(CastHeader header, List<CastEvent> events) {
    public CastFile {
        Objects.requireNonNull(header, "header");
        events = List.copyOf(events);
    }
}
