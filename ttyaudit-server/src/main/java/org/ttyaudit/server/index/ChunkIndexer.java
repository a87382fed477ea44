package org.ttyaudit.server.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.server.store.SessionEventRecord;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a chunk's events (strictly: the payload must decode, hold exactly its event count and stay in its time
 * range) and extracts what the server indexes. Runs on the request's thread, so the work scales with the cores
 * and stays off the single commit path.
 *
 * <p>Thread-safe.
 */
public final class ChunkIndexer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws org.ttyaudit.core.format.FormatException when the payload does not decode
     */
    public IndexedChunk index(Chunk chunk, byte[] bytes) {
        List<Event> events = chunk.decodeEvents();
        List<CommandStartEvent> starts = new ArrayList<>();
        List<CommandEndEvent> ends = new ArrayList<>();
        List<SessionEventRecord> kept = new ArrayList<>();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        long seq = chunk.firstEventSeq();
        for (Event e : events) {
            if (e instanceof OutputEvent o) {
                output.writeBytes(o.data());
            } else if (e instanceof CommandStartEvent s) {
                starts.add(s);
            } else if (e instanceof CommandEndEvent c) {
                ends.add(c);
            } else if (e instanceof ExecEvent x) {
                kept.add(new SessionEventRecord(chunk.sessionId().uuid(), seq, x.offsetMicros(), "exec", execJson(x)));
            } else if (e instanceof MarkerEvent m) {
                kept.add(new SessionEventRecord(chunk.sessionId().uuid(), seq, m.offsetMicros(), "marker",
                        markerJson(m)));
            } else if (e instanceof FileEvent f) {
                kept.add(new SessionEventRecord(chunk.sessionId().uuid(), seq, f.offsetMicros(), "file", fileJson(f)));
            }
            // input, redacted input and resizes are played back from the chunk, not indexed
            seq++;
        }
        return new IndexedChunk(chunk, bytes, starts, ends, kept, output.toByteArray());
    }

    private static String execJson(ExecEvent x) {
        ObjectNode n = JSON.createObjectNode();
        n.put("pid", x.pid());
        n.put("ppid", x.ppid());
        x.argv().forEach(n.putArray("argv")::add);
        n.put("cwd", x.cwd());
        if (x.hasIdsOrResult()) {
            // only an audit log's exec knows them; a recorder's exec keeps the fields it always had
            n.put("uid", x.uid());
            n.put("auid", x.auid());
            n.put("success", x.success());
            n.put("exit", x.exit());
        }
        return n.toString();
    }

    /** A file event's fields; absent values (target, size, hash) are JSON nulls, the hash lower-case hex. */
    private static String fileJson(FileEvent f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("operation", f.operation());
        n.put("path", f.path());
        n.put("target_path", f.targetPath());
        n.put("bytes", f.bytes());
        n.put("sha256", f.sha256Hex());
        n.put("source", f.source());
        return n.toString();
    }

    private static String markerJson(MarkerEvent m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", m.name());
        n.put("detail", m.detail());
        return n.toString();
    }
}
