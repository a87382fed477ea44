package org.ttyaudit.server.live;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.server.index.IndexedChunk;
import org.ttyaudit.server.ingest.ReceivedBatch;

import java.util.List;

/**
 * What one committed ingest request added to a session, as queued for its viewers: its chunks (in order), whether
 * it ended the session, and its size (what a viewer's queue is bounded by). The chunks are the ones ingest
 * decoded, shared by all viewers, never copied. {@link #FROM_STORE} instead says that another server instance
 * committed to the session: the viewer reads what is new from the store.
 */
record Update(List<Chunk> chunks, boolean ends, long bytes, boolean fromStore) {
    /** Another instance committed something: read the session's new chunks (and its end) from the store. */
    static final Update FROM_STORE = new Update(List.of(), false, 0, true);

    Update {
        chunks = List.copyOf(chunks);
    }

    static Update of(ReceivedBatch batch) {
        long bytes = 0;
        for (IndexedChunk c : batch.chunks()) {
            bytes += c.bytes().length;
        }
        return new Update(batch.chunks().stream().map(IndexedChunk::chunk).toList(), batch.end() != null, bytes,
                false);
    }
}
