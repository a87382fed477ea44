package org.ttyaudit.server.playback;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.ChunkEvents;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.StoreException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

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
        Iterable<Chunk> loaded = () -> chunks.stream().map(this::load).iterator();
        return new ChunkEvents(loaded).iterator();
    }

    private Chunk load(ChunkRecord row) {
        byte[] bytes = blobs.get(row.blobKey()).orElseThrow(() -> new StoreException("chunk " + row.seq()
                + " of session " + row.sessionId() + " is missing from the blob store (" + row.blobKey() + ")"));
        Chunk chunk = Chunk.fromBytes(bytes);
        if (!Arrays.equals(chunk.hash(), row.hash()) || !chunk.hashMatches()) {
            throw new StoreException("chunk " + row.seq() + " of session " + row.sessionId()
                    + " does not match its stored hash: the blob " + row.blobKey() + " was altered");
        }
        return chunk;
    }
}
