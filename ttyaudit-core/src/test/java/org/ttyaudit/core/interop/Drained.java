package org.ttyaudit.core.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;

/** Everything a source gives, read to the end: for the decoders' tests. */
record Drained(SourceMetadata metadata, List<Event> events, SourceEnd end) {
    static Drained of(SessionSource source) throws IOException {
        try (source) {
            List<Event> events = new ArrayList<>();
            for (Event e = source.next(); e != null; e = source.next()) {
                events.add(e);
            }
            return new Drained(source.metadata(), events, source.end());
        }
    }

    byte[] outputBytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        events.stream().filter(e -> e instanceof OutputEvent).forEach(e -> b.writeBytes(((OutputEvent) e).data()));
        return b.toByteArray();
    }

    String output() {
        return new String(outputBytes(), StandardCharsets.UTF_8);
    }

    String input() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        events.stream().filter(e -> e instanceof InputEvent).forEach(e -> b.writeBytes(((InputEvent) e).data()));
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Whether offsets never decrease, as the record format requires. */
    boolean inTimeOrder() {
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).offsetMicros() < events.get(i - 1).offsetMicros()) {
                return false;
            }
        }
        return true;
    }
}
