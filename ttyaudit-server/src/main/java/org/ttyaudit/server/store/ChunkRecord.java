package org.ttyaudit.server.store;

import java.util.Objects;
import java.util.UUID;

/**
 * A stored chunk's row: its place in the session, its hashes, where its bytes are ({@code blobKey}: the chunk's
 * whole encoding, {@code Chunk.toBytes()}, {@code storedBytes} long), its leaf in the ledger, and
 * {@code rawBytes}: its events' size before compression ({@code Chunk.uncompressedLength()}), −1 when unknown (a
 * chunk stored before the server counted it), for storage statistics.
 */
public record ChunkRecord(UUID sessionId, long seq, long firstEventSeq, int eventCount, long firstOffsetMicros,
                          long lastOffsetMicros, byte[] prevHash, byte[] hash, String blobKey, int storedBytes,
                          long ledgerIndex, int rawBytes) {
    public ChunkRecord {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(blobKey, "blobKey");
        if (seq < 0 || firstEventSeq < 0 || eventCount < 0 || storedBytes < 0 || rawBytes < -1) {
            throw new IllegalArgumentException("negative chunk seq, event seq, event count or size in chunk " + seq
                    + " of session " + sessionId);
        }
    }
}
