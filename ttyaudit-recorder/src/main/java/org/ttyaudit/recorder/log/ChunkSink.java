package org.ttyaudit.recorder.log;

import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.SessionEnd;

import java.io.IOException;
import java.util.List;

/**
 * Where sealed batches of events go: the local spool file today, a server connection later. Called from the
 * {@link SessionLog}'s writer thread only. {@link #writeChunk} returns once the chunk is durable.
 */
public interface ChunkSink extends AutoCloseable {
    /**
     * Called first, on the writer thread: makes durable what the sink was created with (a record file's headers),
     * so that making the sink, before the session starts, need not wait for the disk.
     */
    default void start() throws IOException {
    }

    void writeChunk(List<Event> events) throws IOException;

    /**
     * Called on the writer thread when nothing is waiting to be written after a chunk: a burst of output is over,
     * or the session has gone quiet. A sink may give back what it grew for large chunks. Must not throw.
     */
    default void idle() {
    }

    /** Writes the session-end record and closes the sink. */
    void finish(SessionEnd end) throws IOException;

    /** Closes without an end record (the record stays valid but incomplete). */
    @Override
    void close() throws IOException;
}
