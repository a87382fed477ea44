package org.ttyaudit.server.index;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.server.store.SessionEventRecord;

import java.util.List;

/**
 * A received chunk with what the server indexes from it: the commands that started and ended in it, its other
 * events worth keeping (exec, marker) and its output as searchable text. Made by {@link ChunkIndexer} off the
 * commit path; immutable.
 *
 * @param bytes the chunk's encoding as received (what the blob store keeps)
 */
public record IndexedChunk(Chunk chunk, byte[] bytes, List<CommandStartEvent> commandStarts,
                           List<CommandEndEvent> commandEnds, List<SessionEventRecord> events, String outputText) {
    public IndexedChunk {
        commandStarts = List.copyOf(commandStarts);
        commandEnds = List.copyOf(commandEnds);
        events = List.copyOf(events);
    }
}
