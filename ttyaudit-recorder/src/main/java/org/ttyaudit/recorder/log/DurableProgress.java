package org.ttyaudit.recorder.log;

/**
 * Told how much of a record file is durable, so a reader of the file (the uploader) ships only what is fsync'd:
 * spool before ship (docs/INGEST.md). Implementations must be cheap and never block: they are called on the
 * session log's writer thread, between fsyncs.
 */
public interface DurableProgress {
    /** Ignores everything: recording without upload. */
    DurableProgress NONE = new DurableProgress() {
        @Override
        public void durable(long length) {
        }

        @Override
        public void closed() {
        }
    };

    /** The file's first {@code length} bytes are written and fsync'd; they end after a complete frame. */
    void durable(long length);

    /** No more frames will be written: the end record is durable, or the file was closed (or failed) without it. */
    void closed();
}
