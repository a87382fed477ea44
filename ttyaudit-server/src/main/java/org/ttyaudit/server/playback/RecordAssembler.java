package org.ttyaudit.server.playback;

import org.ttyaudit.core.format.WireFrames;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.SessionQueries;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.StoreException;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;

/**
 * Writes a stored session as a record file (docs/FORMAT.md): the header, the chunks and the end record, each
 * exactly as received, so whoever reads it can verify the hash chain with the same tools as a local recording
 * ({@code ttyaudit verify}, {@code play}, {@code export}). A session still running gives a file without end
 * record, as a live recorder's spool does.
 *
 * <p>Thread-safe; streams chunk by chunk, so memory does not grow with the session.
 */
public final class RecordAssembler {

    private final SessionQueries sessions;
    private final BlobStore blobs;

    public RecordAssembler(SessionQueries sessions, BlobStore blobs) {
        this.sessions = sessions;
        this.blobs = blobs;
    }

    /**
     * @throws StoreException when the session is unknown or a chunk's bytes are missing from the blob store
     */
    public void write(UUID sessionId, OutputStream out) throws IOException {
        SessionRecord session = sessions.get(sessionId)
                .orElseThrow(() -> new StoreException("no session " + sessionId));
        out.write(WireFrames.recordFileHeader());
        out.write(WireFrames.encode(WireFrames.Type.SESSION_HEADER, session.headerBytes()));
        for (ChunkRecord chunk : sessions.chunks(sessionId)) {
            if (chunk.seq() > session.committedSeq()) {
                break;  // a row of a later commit than the session record we read: not part of this snapshot
            }
            byte[] bytes = blobs.get(chunk.blobKey()).orElseThrow(() -> new StoreException("chunk " + chunk.seq()
                    + " of session " + sessionId + " is missing from the blob store (" + chunk.blobKey() + ")"));
            out.write(WireFrames.encode(WireFrames.Type.CHUNK, bytes));
        }
        if (session.end() != null) {
            out.write(WireFrames.encode(WireFrames.Type.SESSION_END, session.end().recordBytes()));
        }
    }
}
