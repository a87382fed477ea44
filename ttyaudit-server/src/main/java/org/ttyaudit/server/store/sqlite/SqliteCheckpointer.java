package org.ttyaudit.server.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Copies committed pages from the WAL into the database file on a thread of its own, so that the writer's commits
 * do not. SQLite's automatic checkpoint runs inside the {@code COMMIT} that crosses the WAL threshold: that commit
 * (one ingest group) then also writes every changed page to the database file and fsyncs it, which made a group
 * commit now and then several times slower than the others (docs/PERFORMANCE.md, "Server"). A passive checkpoint
 * on another connection runs beside the writer's transactions without blocking them or the readers.
 *
 * <p>The writer keeps an automatic checkpoint at a much higher threshold ({@link #WRITER_FALLBACK_PAGES}) as a
 * backstop, so the WAL stays bounded even if this thread falls behind or a checkpoint keeps failing. Durability
 * does not depend on this class: a commit is durable in the WAL (synchronous=FULL) before it returns.
 *
 * <p>Thread-safe. A failed checkpoint is logged (once per distinct message) and retried at the next interval.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);
    /** The writer's own automatic checkpoint: only when the WAL has grown to 32 MiB (SQLite's default is 4 MiB). */
    static final int WRITER_FALLBACK_PAGES = 8192;
    private static final long INTERVAL_MILLIS = 250;

    private final SqliteConnection connection;
    private final Thread thread;
    private final Object wake = new Object();
    private volatile boolean closing;
    private String lastFailure;

    private SqliteCheckpointer(SqliteConnection connection) {
        this.connection = connection;
        this.thread = new Thread(this::run, "ttyaudit-sqlite-checkpoint");
        this.thread.setDaemon(true);
    }

    /** Opens its connection to {@code file} and starts checkpointing every {@value #INTERVAL_MILLIS} ms. */
    static SqliteCheckpointer start(Path file) throws SQLException {
        SqliteCheckpointer c = new SqliteCheckpointer(SqliteConnection.openCheckpointer(file));
        c.thread.start();
        return c;
    }

    private void run() {
        while (!closing) {
            synchronized (wake) {
                try {
                    wake.wait(INTERVAL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!closing) {
                checkpoint();
            }
        }
    }

    /** One passive checkpoint: as many WAL frames as no reader still needs; never waits for a lock. */
    private void checkpoint() {
        try {
            connection.queryString("PRAGMA wal_checkpoint(PASSIVE)");
            lastFailure = null;
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.equals(lastFailure)) {
                log.warn("background WAL checkpoint failed (the writer checkpoints at {} pages instead): {}",
                        WRITER_FALLBACK_PAGES, message);
                lastFailure = message;
            }
        }
    }

    /** Stops the thread (after a checkpoint in progress) and closes its connection. */
    @Override
    public void close() {
        closing = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
