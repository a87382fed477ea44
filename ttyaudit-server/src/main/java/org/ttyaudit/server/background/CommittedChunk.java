package org.ttyaudit.server.background;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.store.ChunkRecord;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * How a background worker reads a committed chunk back from the blob store: a blob that is missing or does not
 * decode is skipped (logged; the verifier reports the damage, and waiting for it would stop the worker's cursor
 * for good), while a blob that cannot be read right now is an exception, for the worker to try again later.
 * Stateless.
 */
public final class CommittedChunk {
    private static final Logger log = LoggerFactory.getLogger(CommittedChunk.class);

    private CommittedChunk() {
    }

    /**
     * What {@code decode} makes of the chunk of {@code row} (its parsed form and its bytes as stored); empty when
     * the blob is missing, or it or {@code decode} fails to decode it.
     *
     * @param skipper who skips a damaged chunk, for the log ({@code the rules})
     * @throws RuntimeException when the blob cannot be read now
     */
    public static <T> Optional<T> decode(BlobStore blobs, ChunkRecord row, String skipper,
                                         BiFunction<Chunk, byte[], T> decode) {
        Optional<byte[]> bytes = blobs.get(row.blobKey());
        if (bytes.isEmpty()) {
            log.error("chunk {} of session {} has no blob ({}); {} skip it", row.seq(), row.sessionId(),
                    row.blobKey(), skipper);
            return Optional.empty();
        }
        try {
            return Optional.of(decode.apply(Chunk.fromBytes(bytes.get()), bytes.get()));
        } catch (RuntimeException e) {
            log.error("chunk {} of session {} does not decode ({}); {} skip it", row.seq(), row.sessionId(),
                    e.getMessage(), skipper);
            return Optional.empty();
        }
    }
}
