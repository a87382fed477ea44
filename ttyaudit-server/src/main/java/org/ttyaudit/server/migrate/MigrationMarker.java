package org.ttyaudit.server.migrate;

import org.ttyaudit.server.store.postgres.PostgresImport;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Migrate's own row in the target database ({@value #TABLE}, not part of the store's schema): which source it
 * copies, how far the blob copy got (chunks are copied in (session, seq) order, so one position says which are
 * done), and when the rows were committed. A rerun of an interrupted migrate of the same source continues the
 * blob copy after that position; the rows are copied in one transaction, so they are either all there or none.
 */
final class MigrationMarker {
    static final String TABLE = "ttyaudit_migration";

    /** The state of a migration as stored. */
    record State(String sourceId, String sourcePath, String blobsAfterSession, long blobsAfterSeq, long blobsCopied,
                 Instant finishedAt) {
        boolean sameSource(String id) {
            return sourceId.equals(id);
        }
    }

    private final PostgresImport db;

    MigrationMarker(PostgresImport db) {
        this.db = db;
        db.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id integer PRIMARY KEY CHECK (id = 1),"
                + " source_id text NOT NULL, source_path text NOT NULL, blobs_after_session text,"
                + " blobs_after_seq bigint NOT NULL, blobs_copied bigint NOT NULL, started_at bigint NOT NULL,"
                + " finished_at bigint)");
    }

    Optional<State> read() {
        try (PreparedStatement ps = db.jdbc().prepareStatement("SELECT source_id, source_path, blobs_after_session,"
                + " blobs_after_seq, blobs_copied, finished_at FROM " + TABLE);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long finished = rs.getLong(6);
            return Optional.of(new State(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                    rs.getLong(5), rs.wasNull() ? null : Instant.EPOCH.plusNanos(finished)));
        } catch (SQLException e) {
            throw db.failure("reading " + TABLE, e);
        }
    }

    /** Starts over: a new source, nothing copied. */
    void start(String sourceId, String sourcePath, Instant now) {
        update("DELETE FROM " + TABLE);
        try (PreparedStatement ps = db.jdbc().prepareStatement("INSERT INTO " + TABLE + " (id, source_id,"
                + " source_path, blobs_after_session, blobs_after_seq, blobs_copied, started_at)"
                + " VALUES (1, ?, ?, NULL, -1, 0, ?)")) {
            ps.setString(1, sourceId);
            ps.setString(2, sourcePath);
            ps.setLong(3, nanos(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw db.failure("writing " + TABLE, e);
        }
    }

    /** Records that every chunk blob up to and including (session, seq) is durable in the target. */
    void blobsDone(String session, long seq, long copied) {
        try (PreparedStatement ps = db.jdbc().prepareStatement("UPDATE " + TABLE + " SET blobs_after_session = ?,"
                + " blobs_after_seq = ?, blobs_copied = ?")) {
            ps.setString(1, session);
            ps.setLong(2, seq);
            ps.setLong(3, copied);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw db.failure("writing " + TABLE, e);
        }
    }

    /** Marks the migration done (in the transaction that commits the rows, when one is open). */
    void finished(Instant now) {
        update("UPDATE " + TABLE + " SET finished_at = " + nanos(now));
    }

    private void update(String sql) {
        db.execute(sql);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
