package org.ttyaudit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.ChunkEncoder;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.OutputEvent;

/**
 * The record format on the recorder's writer thread: {@link ChunkEncoder#seal} (event encoding, zstd level 3,
 * SHA-256 chain) and, for readers ({@code play}, {@code export}, {@code verify}, the server), {@link
 * Chunk#decodeEvents} (zstd decompression and event decoding).
 *
 * <p>One operation handles 1 MiB of terminal output, so ops/s are MiB/s. The events are cut into chunks the way
 * {@code SessionLog} cuts them (a chunk is sealed once its events reach 1 MiB, counting 16 bytes per event), with
 * {@code events}:
 * <ul>
 *   <li>{@code output-16k}: 64 output events of 16 KiB of {@code ls -l} / {@code ls --color} text (bulk output
 *       read from the pty), one chunk;</li>
 *   <li>{@code echo-1b}: 1,048,576 output events of one byte each (keystroke echo, or a program that writes one
 *       byte at a time), 17 chunks: the per-event cost.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RecordFormatBenchmark {
    /** {@code EventSize.OVERHEAD} in the recorder's log: what an event counts towards a chunk besides its data. */
    private static final int EVENT_OVERHEAD = 16;
    /** {@code SessionLog.withDefaults}: a chunk is sealed at 1 MiB of event data (or after 1 s). */
    private static final int CHUNK_BYTES = 1024 * 1024;

    /** Events of one MiB of output, chunked, with offsets counted from 0. */
    static List<List<Event>> chunks(String shape) {
        Random r = new Random(7);
        byte[] text = mixedOutput();
        List<Event> events = new ArrayList<>();
        long offset = 0;
        if (shape.equals("output-16k")) {
            for (int off = 0; off < text.length; off += 16 * 1024) {
                offset += 200 + r.nextInt(2000);
                events.add(new OutputEvent(offset, java.util.Arrays.copyOfRange(text, off, off + 16 * 1024)));
            }
        } else if (shape.equals("echo-1b")) {
            byte[][] single = new byte[256][];
            for (int b = 0; b < 256; b++) {
                single[b] = new byte[] {(byte) b};
            }
            for (byte b : text) {
                offset += 1 + r.nextInt(300);
                events.add(new OutputEvent(offset, single[b & 0xFF]));
            }
        } else {
            throw new IllegalArgumentException("unknown event shape " + shape);
        }
        List<List<Event>> chunks = new ArrayList<>();
        List<Event> chunk = new ArrayList<>();
        long pending = 0;
        for (Event e : events) {
            chunk.add(e);
            pending += EVENT_OVERHEAD + ((OutputEvent) e).data().length;
            if (pending >= CHUNK_BYTES) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                pending = 0;
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    /** 1 MiB: half {@code ls -l} lines, half {@code ls --color} output, in 64 KiB stretches. */
    private static byte[] mixedOutput() {
        byte[] out = new byte[TerminalData.MIB];
        byte[] plain = TerminalData.longListing(TerminalData.MIB / 2, 1);
        byte[] colour = TerminalData.colourListing(TerminalData.MIB / 2 + 4096, 2);
        int half = 32 * 1024;
        for (int off = 0, k = 0; off < out.length; off += half, k++) {
            byte[] src = k % 2 == 0 ? plain : colour;
            System.arraycopy(src, (k / 2) * half, out, off, half);
        }
        return out;
    }

    /**
     * One encoder for the whole trial, as the recorder keeps one per session (its buffers are reused). Offsets
     * must not go back, so before each operation the same events are moved later in time (not measured).
     */
    @State(Scope.Thread)
    public static class SealState {
        @Param({"output-16k", "echo-1b"})
        public String events;

        ChunkEncoder encoder;
        List<List<Event>> relative;
        List<List<Event>> next;
        long base;
        long span;

        @Setup(Level.Trial)
        public void setUp() {
            encoder = new ChunkEncoder(Sessions.header());
            relative = chunks(events);
            List<Event> last = relative.get(relative.size() - 1);
            span = last.get(last.size() - 1).offsetMicros();
            long raw = 0;
            long stored = 0;
            for (List<Event> c : relative) {
                Chunk chunk = new ChunkEncoder(Sessions.header()).seal(c);
                raw += chunk.uncompressedLength();
                stored += chunk.payload().length;
            }
            System.out.printf("%n[seal %s: %d chunks, %d events, payload %d KiB -> %d KiB zstd]%n", events,
                    relative.size(), relative.stream().mapToInt(List::size).sum(), raw >> 10, stored >> 10);
        }

        @Setup(Level.Invocation)
        public void moveLater() {
            next = new ArrayList<>(relative.size());
            for (List<Event> c : relative) {
                List<Event> moved = new ArrayList<>(c.size());
                for (Event e : c) {
                    OutputEvent o = (OutputEvent) e;
                    moved.add(new OutputEvent(base + o.offsetMicros(), o.data()));
                }
                next.add(moved);
            }
            base += span;
        }
    }

    /** The sealed chunks of 1 MiB of output, made once. */
    @State(Scope.Thread)
    public static class DecodeState {
        @Param({"output-16k", "echo-1b"})
        public String events;

        List<Chunk> sealed;

        @Setup(Level.Trial)
        public void setUp() {
            ChunkEncoder encoder = new ChunkEncoder(Sessions.header());
            sealed = new ArrayList<>();
            for (List<Event> c : chunks(events)) {
                sealed.add(encoder.seal(c));
            }
            long bytes = 0;
            for (Chunk c : sealed) {
                for (Event e : c.decodeEvents()) {
                    bytes += ((OutputEvent) e).data().length;
                }
            }
            if (bytes != TerminalData.MIB) {
                throw new IllegalStateException("decoded " + bytes + " bytes, expected 1 MiB");
            }
        }
    }

    /** Seals 1 MiB of output into chunks (encode, compress, hash): what the writer thread does per MiB. */
    @Benchmark
    public void seal(SealState s, Blackhole bh) {
        for (List<Event> c : s.next) {
            bh.consume(s.encoder.seal(c));
        }
    }

    /** Decodes the chunks of 1 MiB of output back into events. */
    @Benchmark
    public void decodeEvents(DecodeState s, Blackhole bh) {
        for (Chunk c : s.sealed) {
            bh.consume(c.decodeEvents());
        }
    }
}
