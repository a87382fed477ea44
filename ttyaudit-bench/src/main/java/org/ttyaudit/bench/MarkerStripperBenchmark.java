package org.ttyaudit.bench;

import java.nio.charset.StandardCharsets;
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
import org.ttyaudit.recorder.shell.MarkerListener;
import org.ttyaudit.recorder.shell.MarkerStripper;

/**
 * {@link MarkerStripper#filter} on the output pump's path: every byte the user sees passes through it. One
 * operation filters 1 MiB (about, for {@code markers}) in the 64 KiB reads the pump makes, so ops/s are MiB/s.
 * <ul>
 *   <li>{@code plain}: {@code ls -l} text, no ESC at all (the word-at-a-time scan and one copy);</li>
 *   <li>{@code colour}: {@code ls --color} output, an ESC every 10–20 bytes (each one is looked at);</li>
 *   <li>{@code markers}: a bash session with integration: D/A/B/C markers (right nonce) around each prompt and
 *       about 2 KiB of coloured output per command; markers straddle read boundaries.</li>
 * </ul>
 * The listener only counts, so the figure is the stripper's own cost (decoding of {@code cmd=}/{@code cwd=}
 * included).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class MarkerStripperBenchmark {
    @Param({"plain", "colour", "markers"})
    public String output;

    private byte[] input;
    private byte[] out;
    private MarkerStripper stripper;
    private CountingListener listener;

    /** Counts callbacks; a forged marker would mean the test data is wrong. */
    static final class CountingListener implements MarkerListener {
        long markers;
        long forged;

        @Override
        public void promptStart() {
            markers++;
        }

        @Override
        public void commandLineStart() {
            markers++;
        }

        @Override
        public void commandStart(String commandLineOrNull, String cwdOrNull) {
            markers++;
        }

        @Override
        public void commandFinished(int exitCode) {
            markers++;
        }

        @Override
        public void forgedMarker(String description) {
            forged++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        long expectedVisible;
        long expectedMarkers;
        switch (output) {
            case "plain" -> {
                input = TerminalData.longListing(TerminalData.MIB, 11);
                expectedVisible = input.length;
                expectedMarkers = 0;
            }
            case "colour" -> {
                input = TerminalData.colourListing(TerminalData.MIB, 12);
                expectedVisible = input.length;
                expectedMarkers = 0;
            }
            case "markers" -> {
                TerminalData.MarkedStream s = TerminalData.markedSession(TerminalData.MIB, 13);
                input = s.bytes();
                expectedVisible = input.length - s.markerBytes();
                expectedMarkers = s.markers();
            }
            default -> throw new IllegalArgumentException("unknown output " + output);
        }
        out = new byte[TerminalData.READ_SIZE + MarkerStripper.MAX_SEQUENCE_BYTES];
        listener = new CountingListener();
        stripper = new MarkerStripper(TerminalData.NONCE.getBytes(StandardCharsets.US_ASCII), listener);
        long visible = filter();
        if (visible != expectedVisible || listener.markers != expectedMarkers || listener.forged != 0
                || stripper.heldBytes() != 0) {
            throw new IllegalStateException("stripper saw " + visible + " visible bytes and " + listener.markers
                    + " markers (" + listener.forged + " forged), expected " + expectedVisible + " and "
                    + expectedMarkers);
        }
        System.out.printf("%n[%s: %d bytes, %d markers]%n", output, input.length, expectedMarkers);
    }

    /** Filters the whole input in 64 KiB reads; returns the visible byte count. */
    @Benchmark
    public long filter() {
        long visible = 0;
        for (int off = 0; off < input.length; off += TerminalData.READ_SIZE) {
            visible += stripper.filter(input, off, Math.min(TerminalData.READ_SIZE, input.length - off), out, 0);
        }
        return visible;
    }
}
