package org.ttyaudit.server.ingest;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.FormatException;
import org.ttyaudit.core.format.SessionEndRecord;
import org.ttyaudit.core.format.SessionHeaderCodec;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.format.WireFrames;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.index.ChunkIndexer;
import org.ttyaudit.server.index.IndexedChunk;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.ttyaudit.server.ingest.IngestException.Problem.INVALID;
import static org.ttyaudit.server.ingest.IngestException.Problem.MALFORMED;

/**
 * Parses an ingest request body into a {@link ReceivedBatch}, checking everything that does not depend on what
 * the server already holds. Every refusal names the frame and what is wrong with it.
 *
 * <p>Thread-safe; runs on the request's thread.
 */
public final class BatchParser {

    private final ChunkIndexer indexer;

    public BatchParser(ChunkIndexer indexer) {
        this.indexer = indexer;
    }

    public ReceivedBatch parse(UUID sessionId, String hostId, byte[] body) {
        List<WireFrames.Frame> frames;
        try {
            frames = WireFrames.decode(body);
        } catch (FormatException e) {
            throw new IngestException(MALFORMED, e.getMessage(), null);
        }
        if (frames.isEmpty()) {
            throw new IngestException(MALFORMED, "the body holds no frame", null);
        }
        SessionHeader header = null;
        byte[] headerBytes = null;
        byte[] headerHash = null;
        List<IndexedChunk> chunks = new ArrayList<>();
        SessionEndRecord end = null;
        for (int i = 0; i < frames.size(); i++) {
            WireFrames.Frame f = frames.get(i);
            String where = "frame " + i + " at byte " + f.offset();
            if (end != null) {
                throw new IngestException(MALFORMED, where + " follows the session end record", null);
            }
            switch (f.type()) {
                case SESSION_HEADER -> {
                    if (i != 0) {
                        throw new IngestException(MALFORMED, where + ": a session header must be the first frame",
                                null);
                    }
                    header = parseHeader(where, f.body(), sessionId);
                    headerBytes = f.body();
                    headerHash = Sha256.of(f.body());
                }
                case CHUNK -> chunks.add(parseChunk(where, f.body(), sessionId, chunks));
                case SESSION_END -> end = parseEnd(where, f.body(), sessionId);
            }
        }
        return new ReceivedBatch(sessionId, hostId, header, headerBytes, headerHash, chunks, end, body.length);
    }

    private static SessionHeader parseHeader(String where, byte[] body, UUID sessionId) {
        SessionHeader header;
        try {
            header = SessionHeaderCodec.fromBytes(body);
        } catch (RuntimeException e) {
            throw new IngestException(MALFORMED, where + ": the session header does not parse: " + e.getMessage(),
                    null);
        }
        if (!header.sessionId().uuid().equals(sessionId)) {
            throw new IngestException(INVALID, where + ": the session header is for session " + header.sessionId()
                    + ", not " + sessionId, null);
        }
        return header;
    }

    private IndexedChunk parseChunk(String where, byte[] body, UUID sessionId, List<IndexedChunk> before) {
        Chunk chunk;
        try {
            chunk = Chunk.fromBytes(body);
        } catch (RuntimeException e) {
            throw new IngestException(MALFORMED, where + ": the chunk does not parse: " + e.getMessage(), null);
        }
        String what = where + " (chunk " + chunk.chunkSeq() + ")";
        if (!chunk.sessionId().uuid().equals(sessionId)) {
            throw new IngestException(INVALID, what + " belongs to session " + chunk.sessionId() + ", not "
                    + sessionId, null);
        }
        if (!chunk.hashMatches()) {
            throw new IngestException(INVALID, what + ": its hash does not match its content", null);
        }
        if (!before.isEmpty()) {
            Chunk previous = before.get(before.size() - 1).chunk();
            if (chunk.chunkSeq() != previous.chunkSeq() + 1) {
                throw new IngestException(INVALID, what + " follows chunk " + previous.chunkSeq()
                        + " in the request: chunks must be consecutive", null);
            }
        }
        try {
            return indexer.index(chunk, body);
        } catch (RuntimeException e) {
            throw new IngestException(INVALID, what + ": its events do not decode: " + e.getMessage(), null);
        }
    }

    private static SessionEndRecord parseEnd(String where, byte[] body, UUID sessionId) {
        SessionEndRecord end;
        try {
            end = SessionEndRecord.fromBytes(body);
        } catch (RuntimeException e) {
            throw new IngestException(MALFORMED, where + ": the session end record does not parse: "
                    + e.getMessage(), null);
        }
        if (!end.sessionId().uuid().equals(sessionId)) {
            throw new IngestException(INVALID, where + ": the session end record is for session "
                    + end.sessionId() + ", not " + sessionId, null);
        }
        if (!end.hashMatches()) {
            throw new IngestException(INVALID, where + ": the session end record's hash does not match its content",
                    null);
        }
        return end;
    }
}
