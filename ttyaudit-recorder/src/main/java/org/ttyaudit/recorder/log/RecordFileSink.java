package org.ttyaudit.recorder.log;

import org.ttyaudit.core.format.RecordFileWriter;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link ChunkSink} that appends chunks to a local record file (the spool, or {@code --output}), and tells a
 * {@link DurableProgress} (the uploader) after each frame is fsync'd.
 */
public final class RecordFileSink implements ChunkSink {
    private final RecordFileWriter writer;
    private final DurableProgress progress;
    private boolean closed;

    private RecordFileSink(RecordFileWriter writer, DurableProgress progress) {
        this.writer = writer;
        this.progress = progress;
    }

    /**
     * Creates the record file and writes the session header (so an unwritable path fails before the session);
     * {@link #start} syncs it.
     */
    public static RecordFileSink create(Path file, SessionHeader header) throws IOException {
        return create(file, header, DurableProgress.NONE);
    }

    /** The same, telling {@code progress} what is durable, starting with the session header. */
    public static RecordFileSink create(Path file, SessionHeader header, DurableProgress progress)
            throws IOException {
        return new RecordFileSink(RecordFileWriter.createUnsynced(file, header), progress);
    }

    /** Syncs the headers (a session's shell starts meanwhile) and tells the progress they are durable. */
    @Override
    public void start() throws IOException {
        writer.sync();
        progress.durable(writer.durableLength());
    }

    @Override
    public void writeChunk(List<Event> events) throws IOException {
        writer.appendChunk(events);
        progress.durable(writer.durableLength());
    }

    /** The writer's buffers grew with the chunks (about twice a chunk after a burst): give them back. */
    @Override
    public void idle() {
        writer.releaseBuffers();
    }

    @Override
    public void finish(SessionEnd end) throws IOException {
        try {
            writer.finish(end);
            progress.durable(writer.durableLength());
        } finally {
            markClosed();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            markClosed();
        }
    }

    private void markClosed() {
        if (!closed) {
            closed = true;
            progress.closed();
        }
    }
}
