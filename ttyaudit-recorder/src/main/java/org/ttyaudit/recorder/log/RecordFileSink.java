package org.ttyaudit.recorder.log;

import org.ttyaudit.core.format.RecordFileWriter;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A {@link ChunkSink} that appends chunks to a local record file (the spool, or {@code --output}). */
public final class RecordFileSink implements ChunkSink {
    private final RecordFileWriter writer;

    private RecordFileSink(RecordFileWriter writer) {
        this.writer = writer;
    }

    /** Creates the record file and writes the session header (so an unwritable path fails before the session). */
    public static RecordFileSink create(Path file, SessionHeader header) throws IOException {
        return new RecordFileSink(RecordFileWriter.create(file, header));
    }

    @Override
    public void writeChunk(List<Event> events) throws IOException {
        writer.appendChunk(events);
    }

    @Override
    public void finish(SessionEnd end) throws IOException {
        writer.finish(end);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
