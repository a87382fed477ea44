package org.ttyaudit.bench;

import java.util.List;
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
import org.ttyaudit.core.screen.TerminalScreen;

/**
 * {@link TerminalScreen#feed}, the screen model that reconstructs command lines when shell integration is absent.
 * One operation feeds about 1 MiB into an 80×24 screen, so ops/s are MiB/s.
 * <ul>
 *   <li>{@code bulk}: {@code ls -l} and {@code ls --color} text (UTF-8 names included) in 64 KiB reads: every
 *       line scrolls the screen;</li>
 *   <li>{@code editing}: what readline writes while someone types (one piece per keystroke echo, Backspace,
 *       mid-line insertion, history recall, Tab listings, then the command's output), fed piece by piece as the
 *       recorder reads it: the per-call cost and cursor movement.</li>
 * </ul>
 * The recorder feeds the screen lazily (only the last 256 KiB of output before a keystroke), so these figures
 * bound the cost of the screen source rather than sitting on every byte.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class TerminalScreenBenchmark {
    @Param({"bulk", "editing"})
    public String stream;

    private byte[] bytes;
    /** Piece boundaries: piece k is {@code bytes[starts[k], starts[k+1])}. */
    private int[] starts;
    private TerminalScreen screen;

    @Setup(Level.Trial)
    public void setUp() {
        if (stream.equals("bulk")) {
            byte[] plain = TerminalData.longListing(TerminalData.MIB / 2, 21);
            byte[] colour = TerminalData.colourListing(TerminalData.MIB / 2, 22);
            bytes = TerminalData.concat(List.of(plain, colour));
            int n = (bytes.length + TerminalData.READ_SIZE - 1) / TerminalData.READ_SIZE;
            starts = new int[n + 1];
            for (int k = 0; k < n; k++) {
                starts[k] = k * TerminalData.READ_SIZE;
            }
            starts[n] = bytes.length;
        } else if (stream.equals("editing")) {
            List<byte[]> pieces = TerminalData.shellEditingPieces(TerminalData.MIB, 23);
            bytes = TerminalData.concat(pieces);
            starts = new int[pieces.size() + 1];
            for (int k = 0; k < pieces.size(); k++) {
                starts[k + 1] = starts[k] + pieces.get(k).length;
            }
        } else {
            throw new IllegalArgumentException("unknown stream " + stream);
        }
        screen = new TerminalScreen(80, 24);
        System.out.printf("%n[%s: %d bytes in %d pieces, %.0f bytes per piece]%n", stream, bytes.length,
                starts.length - 1, bytes.length / (double) (starts.length - 1));
    }

    /** Feeds the whole stream piece by piece; returns the cursor row so the work cannot be skipped. */
    @Benchmark
    public int feed() {
        for (int k = 0; k < starts.length - 1; k++) {
            screen.feed(bytes, starts[k], starts[k + 1] - starts[k]);
        }
        return screen.cursorRow();
    }
}
