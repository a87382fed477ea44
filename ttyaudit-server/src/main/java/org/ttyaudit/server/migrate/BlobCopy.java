package org.ttyaudit.server.migrate;

import org.ttyaudit.server.blob.BlobStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies the blob of every chunk row of the embedded store, in (session, seq) order, in batches: each batch is
 * durable in the target ({@link BlobStore#putAll}) before the marker moves past it, so a rerun continues after the
 * last batch that finished (putting a blob again is a no-op, so the batch in flight when a run died is simply
 * copied again). Chunks of sessions that retention pruned keep their rows (the hash chain) but not their blobs:
 * they are not copied, nor are blobs that no chunk row names (left by a crash before their commit).
 */
final class BlobCopy {
    private static final int BATCH_BLOBS = 64;
    private static final long BATCH_BYTES = 32L * 1024 * 1024;

    /** The chunks whose blobs the store keeps: those of sessions that were not pruned. */
    static final String CONTENT_CHUNKS = "SELECT count(*) FROM chunks c JOIN sessions s ON s.id = c.session_id"
            + " WHERE s.pruned_at IS NULL";

    private final Connection source;
    private final BlobStore from;
    private final String fromName;
    private final BlobStore to;
    private final MigrationMarker marker;
    private final MigrationProgress progress;

    BlobCopy(Connection source, BlobStore from, String fromName, BlobStore to, MigrationMarker marker,
             MigrationProgress progress) {
        this.source = source;
        this.from = from;
        this.fromName = fromName;
        this.to = to;
        this.marker = marker;
        this.progress = progress;
    }

    /**
     * @param state where an earlier run of the same migration stopped
     * @param total the chunks with content in the source ({@link #CONTENT_CHUNKS})
     * @return the blobs in the target: those copied before and now
     */
    long copy(MigrationMarker.State state, long total) throws SQLException {
        long done = state.blobsCopied();
        progress.phase("blobs", total);
        progress.advance(done);
        String after = state.blobsAfterSession() == null ? "" : state.blobsAfterSession();
        try (PreparedStatement ps = source.prepareStatement("SELECT c.session_id, c.seq, c.blob_key FROM chunks c"
                + " JOIN sessions s ON s.id = c.session_id WHERE s.pruned_at IS NULL AND (c.session_id, c.seq) > (?, ?)"
                + " ORDER BY c.session_id, c.seq")) {
            ps.setString(1, after);
            ps.setLong(2, state.blobsAfterSession() == null ? Long.MIN_VALUE : state.blobsAfterSeq());
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, byte[]> batch = new LinkedHashMap<>();
                long bytes = 0;
                String lastSession = null;
                long lastSeq = 0;
                while (rs.next()) {
                    String session = rs.getString(1);
                    long seq = rs.getLong(2);
                    String key = rs.getString(3);
                    byte[] blob = from.get(key).orElseThrow(() -> new MigrationException("session " + session
                            + ": chunk " + seq + ": its blob " + fromName + key + " is missing; the source is"
                            + " damaged (ttyaudit verify --data names everything that is wrong), nothing was"
                            + " committed to the target"));
                    batch.put(key, blob);
                    bytes += blob.length;
                    lastSession = session;
                    lastSeq = seq;
                    if (batch.size() >= BATCH_BLOBS || bytes >= BATCH_BYTES) {
                        done += flush(batch, lastSession, lastSeq, done);
                        bytes = 0;
                    }
                }
                if (!batch.isEmpty()) {
                    done += flush(batch, lastSession, lastSeq, done);
                }
            }
        }
        return done;
    }

    private int flush(Map<String, byte[]> batch, String lastSession, long lastSeq, long before) {
        int n = batch.size();
        to.putAll(batch);
        marker.blobsDone(lastSession, lastSeq, before + n);
        batch.clear();
        progress.advance(before + n);
        return n;
    }
}
