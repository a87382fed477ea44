package org.ttyaudit.cli;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.Event;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A recording's events as an {@link Iterable} that decodes one chunk at a time, so exporting or playing a
 * session of gigabytes needs only one chunk's events in memory.
 */
final class RecordedEvents implements Iterable<Event> {
    private final List<Chunk> chunks;

    RecordedEvents(Recording recording) {
        this.chunks = recording.chunks();
    }

    @Override
    public Iterator<Event> iterator() {
        return new Iterator<>() {
            private final Iterator<Chunk> chunkIterator = chunks.iterator();
            private Iterator<Event> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && chunkIterator.hasNext()) {
                    current = chunkIterator.next().decodeEvents().iterator();
                }
                return current.hasNext();
            }

            @Override
            public Event next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
