package org.ttyaudit.server.store;

import java.util.UUID;

/**
 * A stored chunk's row: its place in the session, its hashes, where its bytes are ({@code blobKey}: the chunk's
 * whole encoding, {@code Chunk.toBytes()}, {@code storedBytes} long) and its leaf in the ledger.
 */
public record ChunkRecord(UUID sessionId, long seq, long firstEventSeq, int eventCount, long firstOffsetMicros,
                          long lastOffsetMicros, byte[] prevHash, byte[] hash, String blobKey, int storedBytes,
                          long ledgerIndex) {
}
