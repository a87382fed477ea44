package org.ttyaudit.server.playback;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.StoreException;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A stored session's events, read chunk by chunk from the blob store as they are iterated (memory does not grow
 * with the session). Each chunk is checked against its row's hash before its events are used.
 *
 * <p>Not thread-safe; make one per reader.
 */
public final class StoredEvents implements Iterable<Event> {

    private final List<ChunkRecord> chunks;
    private final BlobStore blobs;

    public StoredEvents(List<ChunkRecord> chunks, BlobStore blobs) {
        this.chunks = chunks;
        this.blobs = blobs;
    }

    @Override
    public Iterator<Event> iterator() {
        return new Iterator<>() {
            private int next;
            private Iterator<Event> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && next < chunks.size()) {
                    current = load(chunks.get(next++)).iterator();
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

    private List<Event> load(ChunkRecord row) {
        byte[] bytes = blobs.get(row.blobKey()).orElseThrow(() -> new StoreException("chunk " + row.seq()
                + " of session " + row.sessionId() + " is missing from the blob store (" + row.blobKey() + ")"));
        Chunk chunk = Chunk.fromBytes(bytes);
        if (!java.util.Arrays.equals(chunk.hash(), row.hash()) || !chunk.hashMatches()) {
            throw new StoreException("chunk " + row.seq() + " of session " + row.sessionId()
                    + " does not match its stored hash: the blob " + row.blobKey() + " was altered");
        }
        return chunk.decodeEvents();
    }
}
