package org.ttyaudit.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.ttyaudit.core.asciicast.Mutations;

/**
 * Fuzzing the three decoders: whatever the bytes, a decoder either reads them (events in time order) or throws
 * its own {@link ImportFormatException} with a one-line message; never another exception.
 */
class DecoderProperties {
    private static final Instant MTIME = Instant.parse("2026-01-02T03:04:05Z");
    private static final String VALID_CAST = """
            {"version": 3, "term": {"cols": 80, "rows": 24, "type": "xterm"}, "timestamp": 1}
            [0.5, "o", "hello"]
            [1.0, "r", "100x30"]
            [0.25, "i", "ls\\r"]
            [0.1, "x", "0"]
            """;
    private static final String VALID_TLOG = TlogSourceTest.message(1, 0, "=80x24>3+10<1]1/2", "q", "abc\uFFFD")
            .replace("\"out_bin\":[]", "\"out_bin\":[255,254]") + TlogSourceTest.message(2, 20, ">2+5=100x40", "", "de");

    @Provide
    Arbitrary<String> snippets() {
        return Arbitraries.of("{", "}", "[", "]", ",", "\"", ":", "\n", "#", "-", "1e999", "0.", "null", "9999999999", "9000000000000000000",
                "+", "<", ">", "=", "x", "/", "3", "\"ver\":\"2\"", "\\u", "\\", "\"id\":", "\"pos\":1e30", " ", "\uFFFD");
    }

    @Provide
    Arbitrary<String> mutatedCasts() {
        return mutated(VALID_CAST);
    }

    @Provide
    Arbitrary<String> mutatedTlogs() {
        return mutated(VALID_TLOG);
    }

    private Arbitrary<String> mutated(String valid) {
        return Mutations.of(valid, snippets(), 1);
    }

    /** The inputs the mutations start from are themselves read, so the mutations probe near valid input. */
    @Example
    void theUnmutatedInputsAreValid() throws IOException {
        assertThat(Drained.of(new AsciicastSource("f", utf8(VALID_CAST), MTIME)).output()).isEqualTo("hello");
        Drained tlog = Drained.of(new TlogSource("f", utf8(VALID_TLOG), MTIME));
        assertThat(tlog.outputBytes()).containsExactly('a', 'b', 'c', 0xff, 0xfe, 'd', 'e');
        assertThat(tlog.input()).isEqualTo("q");
    }

    // --- asciicast ---

    @Property(tries = 1000)
    void asciicastArbitraryBytes(@ForAll byte[] bytes) {
        readOrRejected(() -> new AsciicastSource("f", new ByteArrayInputStream(bytes), MTIME));
    }

    @Property(tries = 2000)
    void asciicastMutated(@ForAll("mutatedCasts") String text) {
        readOrRejected(() -> new AsciicastSource("f", utf8(text), MTIME));
    }

    // --- tlog ---

    @Property(tries = 1000)
    void tlogArbitraryBytes(@ForAll byte[] bytes) {
        readOrRejected(() -> new TlogSource("f", new ByteArrayInputStream(bytes), MTIME));
    }

    @Property(tries = 3000)
    void tlogMutated(@ForAll("mutatedTlogs") String text) {
        readOrRejected(() -> new TlogSource("f", utf8(text), MTIME));
    }

    @Provide
    Arbitrary<String> timings() {
        return Arbitraries.strings().withChars("+<>[]=x/0123456789").ofMaxLength(30);
    }

    @Property(tries = 2000)
    void tlogArbitraryTiming(@ForAll("timings") String timing, @ForAll @Size(max = 5) List<Integer> bin) {
        String bytes = bin.stream().map(b -> Integer.toString(Math.floorMod(b, 256))).reduce((a, b) -> a + "," + b)
                .orElse("");
        String message = TlogSourceTest.message(1, 3, timing, "a\uFFFDb", "\uD83D\uDE00xyz\uFFFD")
                .replace("\"out_bin\":[]", "\"out_bin\":[" + bytes + "]");
        readOrRejected(() -> new TlogSource("f", utf8(message), MTIME));
    }

    // --- sudo ---

    @Property(tries = 300)
    void sudoArbitraryFiles(@ForAll byte[] timing, @ForAll byte[] ttyout, @ForAll byte[] logJson) throws IOException {
        Path dir = Files.createTempDirectory("sudo-fuzz");
        try {
            Files.write(dir.resolve("timing"), timing);
            Files.write(dir.resolve("ttyout"), ttyout);
            Files.write(dir.resolve("log.json"), logJson);
            readOrRejected(() -> new SudoIoLogSource(dir));
            Files.writeString(dir.resolve("log.json"), "{\"timestamp\":{\"seconds\":1}}");
            readOrRejected(() -> new SudoIoLogSource(dir));
        } finally {
            delete(dir);
        }
    }

    @Provide
    Arbitrary<String> timingLines() {
        Arbitrary<String> type = Arbitraries.integers().between(0, 9).map(String::valueOf);
        Arbitrary<String> delay = Arbitraries.of("0", "0.5", "1,25", "0.000000001", "-1", "x", "99999999999999.9",
                "0.1234567890");
        Arbitrary<String> rest = Arbitraries.of("", "0", "3", "24 80", "0 0", "TSTP", "99999999999999", "1 2 3", "a");
        return Combinators.combine(type, delay, rest).as((t, d, r) -> t + " " + d + " " + r).list().ofMaxSize(8)
                .map(lines -> String.join("\n", lines));
    }

    @Property(tries = 500)
    void sudoTimingFromItsGrammar(@ForAll("timingLines") String timing, @ForAll boolean compressed)
            throws IOException {
        Path dir = Files.createTempDirectory("sudo-fuzz");
        try {
            Files.writeString(dir.resolve("log.json"), "{\"timestamp\":{\"seconds\":1}}");
            byte[] t = timing.getBytes(StandardCharsets.UTF_8);
            Files.write(dir.resolve("timing"), compressed ? SudoIoLogSourceTest.gzip(t) : t);
            for (String stream : new String[] {"stdin", "stdout", "stderr", "ttyin", "ttyout"}) {
                byte[] data = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
                Files.write(dir.resolve(stream), compressed ? SudoIoLogSourceTest.gzip(data) : data);
            }
            readOrRejected(() -> new SudoIoLogSource(dir));
        } finally {
            delete(dir);
        }
    }

    /** However a terminal's output is split into writes, and compressed or not, the import gives it back whole. */
    @Property(tries = 200)
    void sudoOutputComesBackWhole(@ForAll @Size(max = 600_000) byte[] output, @ForAll @Size(max = 20) List<Integer> cuts,
                                  @ForAll boolean compressed) throws IOException {
        Path dir = Files.createTempDirectory("sudo-whole");
        try {
            Files.writeString(dir.resolve("log.json"), "{\"timestamp\":{\"seconds\":1}}");
            StringBuilder timing = new StringBuilder();
            int[] points = cuts.stream().mapToInt(c -> output.length == 0 ? 0 : Math.floorMod(c, output.length + 1))
                    .sorted().toArray();
            int last = 0;
            for (int p : points) {
                timing.append("4 0.001 ").append(p - last).append('\n');
                last = p;
            }
            timing.append("4 0.001 ").append(output.length - last).append('\n');
            Files.write(dir.resolve("ttyout"), compressed ? SudoIoLogSourceTest.gzip(output) : output);
            Files.writeString(dir.resolve("timing"), timing);
            Drained d = Drained.of(new SudoIoLogSource(dir));
            assertThat(d.outputBytes()).isEqualTo(output);
            assertThat(d.inTimeOrder()).isTrue();
        } finally {
            delete(dir);
        }
    }

    private interface Opener {
        SessionSource open() throws IOException;
    }

    private static void readOrRejected(Opener opener) {
        try {
            Drained d = Drained.of(opener.open());
            assertThat(d.inTimeOrder()).isTrue();
        } catch (ImportFormatException e) {
            assertThat(e.getMessage()).doesNotContain("\n").contains(": ");
        } catch (Exception e) {
            fail("not the decoder's own exception", e);
        }
    }

    private static ByteArrayInputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
