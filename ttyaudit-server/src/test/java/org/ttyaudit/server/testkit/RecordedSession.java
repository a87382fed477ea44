package org.ttyaudit.server.testkit;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.ChunkEncoder;
import org.ttyaudit.core.format.SessionEndRecord;
import org.ttyaudit.core.format.WireFrames;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A session as a recorder (or the SSH gateway) would send it, built with the real encoder: its header, chunks
 * holding a command each (start, exec, output, end) or a file event, and its end record, as wire frames.
 */
public final class RecordedSession {
    public final SessionHeader header;
    public final ChunkEncoder encoder;
    public final List<Chunk> chunks = new ArrayList<>();
    private long offset = 1_000;
    private long commandId;

    public RecordedSession(String user, String host) {
        this(SessionId.newId(java.time.Clock.systemUTC()).uuid(), user, host);
    }

    public RecordedSession(UUID id, String user, String host) {
        this(id, user, host, Instant.parse("2026-11-25T10:00:00Z"), Map.of());
    }

    /** A session started at {@code startedAt} (it ends 5 minutes later) with these header tags. */
    public RecordedSession(UUID id, String user, String host, Instant startedAt, Map<String, String> tags) {
        this(new SessionHeader(new SessionId(id), "recorder", user, 1000, host, "/dev/pts/3",
                "10.0.0.9 5122 10.0.0.1 22", "xterm-256color", 80, 24, startedAt, List.of("/bin/bash"), "full",
                "test", tags));
    }

    private RecordedSession(SessionHeader header) {
        this.header = header;
        encoder = new ChunkEncoder(header);
    }

    /**
     * A session the SSH gateway relayed, as it writes the header: kind {@code gateway}, {@code user} the person
     * who logged in to the gateway, {@code host} the target, and the tags target_user, target_address, gateway and
     * channel ({@code sftp}, {@code shell}, …).
     */
    public static RecordedSession gateway(String user, String host, String targetUser, String channel) {
        return new RecordedSession(new SessionHeader(SessionId.newId(java.time.Clock.systemUTC()), "gateway", user,
                -1, host, null, "10.0.0.9 5122 10.0.0.2 2222", "xterm-256color", 80, 24,
                Instant.parse("2026-11-25T10:00:00Z"), List.of(), "full", "test",
                Map.of("target_user", targetUser, "target_address", "10.0.0.5:22", "gateway", "gw-1",
                        "channel", channel)));
    }

    /**
     * What {@code ttyaudit ingest-audit} writes for {@code owner}: kind {@code import}, format {@code linux-audit},
     * the owner's user, host and start, the tags {@code attached_to} (the owner's id) and {@code audit_session}
     * {@code ses}, plus {@code tags}. Its events go in with {@link #events}.
     */
    public static RecordedSession auditAttachment(SessionHeader owner, long ses, Map<String, String> tags) {
        Map<String, String> all = new java.util.TreeMap<>(tags);
        all.put("import_format", "linux-audit");
        all.put("attached_to", owner.sessionId().toString());
        all.put("audit_session", Long.toString(ses));
        return new RecordedSession(new SessionHeader(SessionId.newId(java.time.Clock.systemUTC()), "import",
                owner.user(), owner.uid(), owner.host(), null, null, null, 80, 24, owner.startedAt(), List.of(),
                "commands", "test", all));
    }

    /** Seals a chunk holding exactly {@code events} (their own offsets). */
    public Chunk events(List<Event> events) {
        Chunk c = encoder.seal(events);
        chunks.add(c);
        return c;
    }

    /** Seals a chunk holding one file event (what the gateway records of an SFTP or SCP operation). */
    public Chunk file(String operation, String path, String targetPath, Long bytes, byte[] sha256, String source) {
        Chunk c = encoder.seal(List.of(new FileEvent(offset, operation, path, targetPath, bytes, sha256, source)));
        offset += 1_000_000;
        chunks.add(c);
        return c;
    }

    public UUID id() {
        return header.sessionId().uuid();
    }

    /** Seals a chunk in which {@code command} runs and prints {@code output}. */
    public Chunk command(String command, String output, int exitCode) {
        long id = ++commandId;
        List<Event> events = List.of(
                new CommandStartEvent(offset, id, command, "/home/alice", CommandSource.SHELL_INTEGRATION),
                new ExecEvent(offset + 10, 4242, 4000, List.of(command.split(" ")), "/home/alice"),
                new OutputEvent(offset + 20, ("\u001b[1m" + output + "\u001b[0m\r\n").getBytes(StandardCharsets.UTF_8)),
                new CommandEndEvent(offset + 30, id, exitCode));
        offset += 1_000_000;
        Chunk c = encoder.seal(events);
        chunks.add(c);
        return c;
    }

    /** Seals a chunk holding one output event with exactly these bytes (e.g. half a character). */
    public Chunk output(byte[] bytes) {
        Chunk c = encoder.seal(List.of(new OutputEvent(offset, bytes)));
        offset += 1_000_000;
        chunks.add(c);
        return c;
    }

    public SessionEndRecord end() {
        return encoder.end(new SessionEnd(header.startedAt().plusSeconds(300), 0, null, "exit"));
    }

    public byte[] headerFrame() {
        return WireFrames.encode(WireFrames.Type.SESSION_HEADER, encoder.headerRecordBytes());
    }

    public static byte[] frames(Chunk... chunks) {
        List<WireFrames.Frame> frames = new ArrayList<>();
        for (Chunk c : chunks) {
            frames.add(new WireFrames.Frame(WireFrames.Type.CHUNK, 0, c.toBytes()));
        }
        return WireFrames.encode(frames);
    }

    public static byte[] endFrame(SessionEndRecord end) {
        return WireFrames.encode(WireFrames.Type.SESSION_END, end.toBytes());
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
