package org.ttyaudit.server.index;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.server.store.SessionEventRecord;

import java.util.List;

/**
 * A received chunk with what the server indexes from it: the commands that started and ended in it, its other
 * events worth keeping (exec, marker, file) and its output, which {@link #outputText()} makes searchable. Made by
 * {@link ChunkIndexer} off the commit path; immutable (the arrays are not copied: do not change them).
 *
 * @param bytes  the chunk's encoding as received (what the blob store keeps)
 * @param output the terminal bytes of its output events, concatenated
 */
public record IndexedChunk(Chunk chunk, byte[] bytes, List<CommandStartEvent> commandStarts,
                           List<CommandEndEvent> commandEnds, List<SessionEventRecord> events, byte[] output) {
    public IndexedChunk {
        commandStarts = List.copyOf(commandStarts);
        commandEnds = List.copyOf(commandEnds);
        events = List.copyOf(events);
    }

    /**
     * The output as searchable text ({@link TerminalText}), made on each call: ingest leaves it to the background
     * {@link OutputTextIndexer}, so the request threads do not pay for it.
     */
    public String outputText() {
        return TerminalText.strip(output);
    }
}
