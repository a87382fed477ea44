package org.ttyaudit.bench.server;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.ChunkEncoder;
import org.ttyaudit.core.format.WireFrames;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated recorder session: it seals chunks with the real {@link ChunkEncoder} (zstd, SHA-256 chain) and
 * ships them as a recorder's uploader does: one request in flight at a time, and whatever was sealed meanwhile
 * goes in the next request (so a slow server makes requests bigger, not more numerous).
 *
 * <p>Thread-safe: sealing is serialised by {@link #sealLock} (the encoder is single-threaded), shipping by the
 * instance's monitor.
 */
final class LoadSession {
    private static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;
    private static final byte[] PROMPT = "\u001b]0;alice@web1: ~\u0007\u001b[01;32malice@web1\u001b[00m:\u001b[01;34m~\u001b[00m$ "
            .getBytes(StandardCharsets.UTF_8);

    private final ApiClient client;
    private final LoadStats stats;
    final String host;
    private final String credential;
    private final ChunkEncoder encoder;
    private final long startNanos = System.nanoTime();
    private final Object sealLock = new Object();
    private final ArrayDeque<Sealed> outbox = new ArrayDeque<>();
    private long lastOffset;
    private long commandId;
    private boolean inFlight;
    private volatile boolean failed;
    /** Highest chunk seq the server acknowledged; -1 before any. */
    private volatile long committedSeq = -1;

    LoadSession(ApiClient client, LoadStats stats, String user, String host, String credential, int index) {
        this.client = client;
        this.stats = stats;
        this.host = host;
        this.credential = credential;
        SessionHeader header = new SessionHeader(SessionId.newId(Clock.systemUTC()), "recorder", user,
                1000 + index % 500, host, "/dev/pts/" + index % 64, "10.0.0." + index % 250 + " 5122 10.0.0.1 22",
                "xterm-256color", 120, 40, Instant.now(), List.of("/bin/bash"), "full", "loadgen",
                Map.of("loadgen", "1"));
        this.encoder = new ChunkEncoder(header);
    }

    UUID id() {
        return encoder.header().sessionId().uuid();
    }

    long committedSeq() {
        return committedSeq;
    }

    long sealedChunks() {
        synchronized (sealLock) {
            return encoder.chunkCount();
        }
    }

    boolean failed() {
        return failed;
    }

    /** Sends the session header on its own, as a recorder does when the session starts. */
    CompletableFuture<Void> start() {
        byte[] frame = WireFrames.encode(WireFrames.Type.SESSION_HEADER, encoder.headerRecordBytes());
        return client.ingest(credential, id(), frame).thenAccept(r -> {
            if (r.statusCode() != 200) {
                failed = true;
                stats.failed(Integer.toString(r.statusCode()), new String(r.body(), StandardCharsets.UTF_8));
            }
        });
    }

    /** Seals one typed command (keys and their echo, prompt, command events, its output) and ships it. */
    void typeCommand(SyntheticTerminal terminal, Random r) {
        typeCommand(terminal, r, SyntheticTerminal.command(r));
    }

    /** Seals the typing of {@code line} and its run, like {@link #typeCommand(SyntheticTerminal, Random)}. */
    void typeCommand(SyntheticTerminal terminal, Random r, String line) {
        Sealed s;
        synchronized (sealLock) {
            long t = Math.max(lastOffset + 1, elapsedMicros() - 900_000);
            List<Event> events = new ArrayList<>();
            long terminalBytes = 0;
            for (byte b : (line + "\r").getBytes(StandardCharsets.UTF_8)) {
                events.add(new InputEvent(t, new byte[] {b}));
                events.add(new OutputEvent(t + 300, b == '\r' ? new byte[] {'\r', '\n'} : new byte[] {b}));
                terminalBytes += b == '\r' ? 3 : 2;
                t += 40_000 + r.nextInt(80_000);
            }
            byte[] output = terminal.output(r, SyntheticTerminal.commandOutputSize(r));
            terminalBytes += output.length + PROMPT.length;
            lastOffset = appendRun(events, line, output, t, r);
            s = seal(events, terminalBytes);
        }
        ship(s);
    }

    /**
     * Seals one chunk holding {@code lines}, each pasted (one input event and its echo), run, and printing
     * {@code outputSize} bytes: a recorder's chunk of a second in which a script or a quick typist ran several
     * commands. The command events are those of {@link #typeCommand}.
     */
    void runCommands(SyntheticTerminal terminal, Random r, List<String> lines, java.util.function.IntSupplier outputSize) {
        Sealed s;
        synchronized (sealLock) {
            long t = Math.max(lastOffset + 1, elapsedMicros() - 900_000);
            List<Event> events = new ArrayList<>(lines.size() * 8);
            long terminalBytes = 0;
            for (String line : lines) {
                byte[] typed = (line + "\r").getBytes(StandardCharsets.UTF_8);
                events.add(new InputEvent(t, typed));
                events.add(new OutputEvent(t + 300, (line + "\r\n").getBytes(StandardCharsets.UTF_8)));
                byte[] output = terminal.output(r, outputSize.getAsInt());
                terminalBytes += typed.length + typed.length + 1 + output.length + PROMPT.length;
                t = appendRun(events, line, output, t + 1_000, r) + 1;
            }
            lastOffset = t;
            s = seal(events, terminalBytes);
        }
        ship(s);
    }

    /** Appends a command's events (start, exec, its output, end, the prompt) from {@code t}; returns the last offset. */
    private long appendRun(List<Event> events, String line, byte[] output, long t, Random r) {
        long id = ++commandId;
        events.add(new CommandStartEvent(t, id, line, "/home/alice", CommandSource.SHELL_INTEGRATION));
        events.add(new ExecEvent(t + 200, 4000 + (int) id, 3999, List.of(line.split(" ")), "/home/alice"));
        events.add(new OutputEvent(t + 5_000, output));
        t += 5_000 + output.length / 10;
        events.add(new CommandEndEvent(t, id, r.nextInt(10) == 0 ? 1 : 0));
        events.add(new OutputEvent(t + 100, PROMPT));
        return t + 100;
    }

    /** Seals a chunk of bulk output ({@code bytes} of text in reads of {@code readSize}) and ships it. */
    void bulkOutput(SyntheticTerminal terminal, Random r, int bytes, int readSize) {
        Sealed s;
        synchronized (sealLock) {
            long t = Math.max(lastOffset + 1, elapsedMicros());
            List<Event> events = new ArrayList<>(bytes / readSize + 1);
            for (int done = 0; done < bytes; done += readSize) {
                events.add(new OutputEvent(t, terminal.output(r, Math.min(readSize, bytes - done))));
                t += 50;
            }
            lastOffset = t;
            s = seal(events, bytes);
        }
        ship(s);
    }

    /** How many sealed chunks wait or are in flight. */
    synchronized int backlog() {
        return outbox.size() + (inFlight ? 1 : 0);
    }

    /** Sends the session end record once everything sealed is committed; completes with the answer. */
    CompletableFuture<HttpResponse<byte[]>> end() {
        byte[] frame;
        synchronized (sealLock) {
            frame = WireFrames.encode(WireFrames.Type.SESSION_END, encoder.end(new SessionEnd(Instant.now(), 0, null,
                    "exit")).toBytes());
        }
        return client.ingest(credential, id(), frame);
    }

    private Sealed seal(List<Event> events, long terminalBytes) {
        Chunk c = encoder.seal(events);
        byte[] frame = WireFrames.encode(WireFrames.Type.CHUNK, c.toBytes());
        return new Sealed(c.chunkSeq(), frame, terminalBytes, c.uncompressedLength(), System.nanoTime());
    }

    private void ship(Sealed s) {
        synchronized (this) {
            if (failed) {
                return;
            }
            outbox.add(s);
            if (!inFlight) {
                sendLocked();
            }
        }
    }

    private void sendLocked() {
        List<Sealed> batch = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (!outbox.isEmpty() && (batch.isEmpty() || body.size() + outbox.peek().frame.length <= MAX_REQUEST_BYTES)) {
            Sealed s = outbox.poll();
            batch.add(s);
            body.writeBytes(s.frame);
        }
        inFlight = true;
        byte[] bytes = body.toByteArray();
        long sent = System.nanoTime();
        client.ingest(credential, id(), bytes).whenComplete((r, e) -> answered(batch, bytes.length, sent, r, e));
    }

    private void answered(List<Sealed> batch, int wire, long sent, HttpResponse<byte[]> r, Throwable e) {
        long now = System.nanoTime();
        if (e != null || r.statusCode() != 200) {
            failed = true;
            stats.failed(e != null ? "io" : Integer.toString(r.statusCode()),
                    e != null ? e.toString() : new String(r.body(), StandardCharsets.UTF_8));
        } else {
            long terminal = 0;
            long payload = 0;
            for (Sealed s : batch) {
                terminal += s.terminalBytes;
                payload += s.payloadBytes;
                stats.chunkLatency.add(now - s.sealedAt);
            }
            committedSeq = batch.get(batch.size() - 1).seq;
            stats.committed(batch.size(), terminal, payload, wire, now - sent);
        }
        synchronized (this) {
            inFlight = false;
            if (!failed && !outbox.isEmpty()) {
                sendLocked();
            }
        }
    }

    private long elapsedMicros() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    private record Sealed(long seq, byte[] frame, long terminalBytes, long payloadBytes, long sealedAt) {
    }
}
