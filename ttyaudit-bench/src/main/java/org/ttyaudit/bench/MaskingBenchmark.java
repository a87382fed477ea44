package org.ttyaudit.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.core.redact.StreamMasker;

/**
 * Secret masking with the default rule pack ({@link SecretMasker#defaults()}):
 * <ul>
 *   <li>{@code maskCommandLine}: {@link SecretMasker#mask(String)} of one command line (each command the recorder
 *       captures), {@code plain} (no secret, the usual case) or {@code secret} (a {@code --password=}); ops/µs;</li>
 *   <li>{@code streamKeystroke}: {@link StreamMasker#write} of one typed byte, cycling through command lines
 *       (some with secrets, so bytes are held back and released in bursts) as the input pump writes each key;
 *       ops/µs;</li>
 *   <li>{@code streamOutput4k}: {@link StreamMasker#write} of 1 MiB of output as 256 pieces of 4 KiB, the largest
 *       piece the recorder still masks ({@code Recorder.BULK_OUTPUT_BYTES}; larger reads bypass the masker);
 *       a {@code .env} dump with secrets every 64 KiB; ops/s are MiB/s.</li>
 * </ul>
 * Released bytes go to a sink that only counts, as the recorder's sink only appends an event.
 */
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MaskingBenchmark {
    private static final int PIECE = 4096;

    /** A masker shared by all benchmarks (immutable). */
    @State(Scope.Benchmark)
    public static class Rules {
        final SecretMasker masker = SecretMasker.defaults();
    }

    /** One command line. */
    @State(Scope.Thread)
    public static class CommandLine {
        @Param({"plain", "secret"})
        public String commandLine;

        String text;

        @Setup(Level.Trial)
        public void setUp(Rules rules) {
            text = switch (commandLine) {
                case "plain" -> "git log --oneline --graph --decorate -n 20 -- src/main/java/org/shop/orders";
                case "secret" -> "mysql -h db.internal -u app --password=S3cr3tPassw0rd shop -e 'select 1'";
                default -> throw new IllegalArgumentException("unknown command line " + commandLine);
            };
            String masked = rules.masker.mask(text);
            if (masked.contains("[MASKED:") != commandLine.equals("secret")) {
                throw new IllegalStateException("unexpected masking: " + masked);
            }
        }
    }

    /** A stream masker fed one typed byte at a time. */
    @State(Scope.Thread)
    public static class Keystrokes {
        byte[] typed;
        int next;
        StreamMasker masker;
        long released;

        @Setup(Level.Trial)
        public void setUp(Rules rules) {
            typed = (String.join("\r", TerminalData.COMMANDS) + "\r").getBytes(StandardCharsets.UTF_8);
            masker = new StreamMasker(rules.masker, (tag, data) -> released += data.length);
            // Check once that the typed secrets come out masked.
            List<byte[]> out = new ArrayList<>();
            StreamMasker check = new StreamMasker(rules.masker, (tag, data) -> out.add(data));
            for (int i = 0; i < typed.length; i++) {
                check.write(i, typed, i, 1);
            }
            check.flush();
            String stored = new String(TerminalData.concat(out), StandardCharsets.UTF_8);
            if (stored.contains("S3cr3tPassw0rd") || stored.contains("EXAMPLEKEY") || stored.length() != typed.length) {
                throw new IllegalStateException("keystrokes not masked as expected: " + stored);
            }
        }
    }

    /** A stream masker fed 4 KiB pieces of output. */
    @State(Scope.Thread)
    public static class Output {
        byte[] output;
        StreamMasker masker;
        long released;

        @Setup(Level.Trial)
        public void setUp(Rules rules) {
            byte[] env = ("DB_HOST=db.internal\r\nDB_USER=app\r\nDB_PASSWORD=S3cr3tPassw0rd\r\n"
                    + "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\r\n"
                    + "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n"
                    + "GITHUB_TOKEN=ghp_" + "a1B2c3D4e5".repeat(4) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            output = new byte[TerminalData.MIB];
            byte[] plain = TerminalData.longListing(TerminalData.MIB / 2, 31);
            byte[] colour = TerminalData.colourListing(TerminalData.MIB / 2 + 4096, 32);
            int block = 32 * 1024;
            for (int off = 0, k = 0; off < output.length; off += block, k++) {
                System.arraycopy(k % 2 == 0 ? plain : colour, (k / 2) * block, output, off, block);
                if (k % 2 == 1) {
                    // end each 64 KiB with a `cat .env`
                    System.arraycopy(env, 0, output, off + block - env.length, env.length);
                }
            }
            masker = new StreamMasker(rules.masker, (tag, data) -> released += data.length);
            int[] masked = {0};
            StreamMasker check = new StreamMasker(rules.masker, (tag, data) -> {
                for (byte b : data) {
                    masked[0] += b == '*' ? 1 : 0;
                }
            });
            for (int off = 0; off < output.length; off += PIECE) {
                check.write(off, output, off, PIECE);
            }
            check.flush();
            if (masked[0] < 16 * 60 || check.forcedReleases() != 0) {
                throw new IllegalStateException("output not masked as expected: " + masked[0] + " bytes masked, "
                        + check.forcedReleases() + " forced releases");
            }
            System.out.printf("%n[output: %d bytes masked per MiB]%n", masked[0]);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String maskCommandLine(Rules rules, CommandLine c) {
        return rules.masker.mask(c.text);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int streamKeystroke(Keystrokes k) {
        int i = k.next;
        k.masker.write(i, k.typed, i, 1);
        k.next = i + 1 == k.typed.length ? 0 : i + 1;
        return k.masker.pendingBytes();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long streamOutput4k(Output o) {
        for (int off = 0; off < o.output.length; off += PIECE) {
            o.masker.write(off, o.output, off, PIECE);
        }
        return o.released;
    }
}
