package org.ttyaudit.server.live;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.server.index.IndexedChunk;
import org.ttyaudit.server.ingest.ReceivedBatch;

import java.util.List;

/**
 * What one committed ingest request added to a session, as queued for its viewers: its chunks (in order), whether
 * it ended the session, and its size (what a viewer's queue is bounded by). The chunks are the ones ingest
 * decoded, shared by all viewers, never copied.
 */
record Update(List<Chunk> chunks, boolean ends, long bytes) {
    Update {
        chunks = List.copyOf(chunks);
    }

    static Update of(ReceivedBatch batch) {
        long bytes = 0;
        for (IndexedChunk c : batch.chunks()) {
            bytes += c.bytes().length;
        }
        return new Update(batch.chunks().stream().map(IndexedChunk::chunk).toList(), batch.end() != null, bytes);
    }
}
