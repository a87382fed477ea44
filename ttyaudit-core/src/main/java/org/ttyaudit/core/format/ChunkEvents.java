package org.ttyaudit.core.format;

import org.ttyaudit.core.model.Event;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The events of a run of chunks as one {@link Iterable}, decoding a chunk only when the iteration reaches it, so a
 * session of gigabytes needs one chunk's events in memory. The chunks themselves may be produced lazily too (a
 * server reads each from its blob store as it comes).
 *
 * <p>Each iterator is independent; not thread-safe.
 */
public final class ChunkEvents implements Iterable<Event> {
    private final Iterable<Chunk> chunks;

    public ChunkEvents(Iterable<Chunk> chunks) {
        this.chunks = chunks;
    }

    /** @throws FormatException from the iterator, at the first chunk whose payload does not decode */
    @Override
    public Iterator<Event> iterator() {
        Iterator<Chunk> chunkIterator = chunks.iterator();
        return new Iterator<>() {
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
