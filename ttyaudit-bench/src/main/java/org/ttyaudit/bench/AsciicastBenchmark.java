package org.ttyaudit.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.ttyaudit.core.asciicast.AsciicastFormat;
import org.ttyaudit.core.asciicast.AsciicastOptions;
import org.ttyaudit.core.asciicast.AsciicastWriter;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.ResizeEvent;

/**
 * {@code ttyaudit export}: {@link AsciicastWriter#export} of a session holding 1 MiB of terminal output, so ops/s
 * are MiB/s of recorded output. The session is interactive: per command, the prompt, the keystroke echo (one
 * output event and one input event per key), a command-start marker, the command's output in reads of up to
 * 16 KiB (coloured text with UTF-8 characters, some split across events), and the command end; now and then a
 * resize. Default options (command markers, no input), into a stream that discards the bytes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class AsciicastBenchmark {
    @Param({"V2", "V3"})
    public AsciicastFormat format;

    private List<Event> events;
    private final CountingStream out = new CountingStream();

    /** Discards what is written, counting it. */
    static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        events = session();
        long outputBytes = events.stream().filter(e -> e instanceof OutputEvent)
                .mapToLong(e -> ((OutputEvent) e).data().length).sum();
        out.count = 0;
        export();
        System.out.printf("%n[%s: %d events, %d bytes of output -> %d bytes of asciicast]%n", format,
                events.size(), outputBytes, out.count);
    }

    private static List<Event> session() {
        Random r = new Random(41);
        List<Event> list = new ArrayList<>();
        long t = 0;
        long output = 0;
        int id = 0;
        while (output < TerminalData.MIB) {
            String command = TerminalData.COMMANDS[id % TerminalData.COMMANDS.length];
            byte[] prompt = bytes(TerminalData.PROMPT);
            list.add(new OutputEvent(t += 2000, prompt));
            output += prompt.length;
            for (int k = 0; k < command.length(); k++) {
                byte[] key = {(byte) command.charAt(k)};
                list.add(new InputEvent(t += 60_000 + r.nextInt(120_000), key));
                list.add(new OutputEvent(t += 300, key));
                output++;
            }
            list.add(new InputEvent(t += 100_000, new byte[] {'\r'}));
            list.add(new OutputEvent(t += 300, new byte[] {'\r', '\n'}));
            output += 2;
            list.add(new CommandStartEvent(t += 500, id, command, "/home/alice/src/shop",
                    CommandSource.SHELL_INTEGRATION));
            byte[] text = TerminalData.colourListing(r.nextInt(4) == 0 ? 40_000 + r.nextInt(40_000)
                    : 200 + r.nextInt(3000), r.nextLong());
            for (int off = 0; off < text.length && output < TerminalData.MIB; ) {
                // reads of up to 16 KiB at arbitrary points, so UTF-8 characters are split now and then; the
                // session ends at 1 MiB of output
                int n = (int) Math.min(Math.min(text.length - off, 1 + r.nextInt(16 * 1024)),
                        TerminalData.MIB - output);
                list.add(new OutputEvent(t += 50 + r.nextInt(2000), Arrays.copyOfRange(text, off, off + n)));
                off += n;
                output += n;
            }
            list.add(new CommandEndEvent(t += 1000, id, r.nextInt(10) == 0 ? 1 : 0));
            if (r.nextInt(40) == 0) {
                list.add(new ResizeEvent(t += 1000, 80 + r.nextInt(60), 24 + r.nextInt(20)));
            }
            id++;
        }
        return list;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Exports the whole session; returns the number of bytes written. */
    @Benchmark
    public long export() throws IOException {
        long before = out.count;
        AsciicastWriter.export(Sessions.header(), events, Sessions.end(), out, format, AsciicastOptions.defaults());
        return out.count - before;
    }
}
