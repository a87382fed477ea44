package org.ttyaudit.cli;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ttyaudit.core.asciicast.Mutations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the log, {@code ttyaudit import} either writes a record that verifies, or says in one line what is
 * wrong and leaves nothing behind: never a stack trace, never a half import.
 */
class ImportCommandProperties {
    private static final String CAST = """
            {"version": 3, "term": {"cols": 80, "rows": 24}, "timestamp": 1700000000}
            [0.1, "o", "$ "]
            [0.2, "i", "ls\\r"]
            [0.1, "o", "ls\\r\\nfile\\r\\n$ "]
            [0.1, "r", "100x30"]
            [0.5, "x", "1"]
            """;
    private static final String TLOG = "{\"ver\":\"2.3\",\"host\":\"h\",\"rec\":\"r\",\"user\":\"u\",\"term\":\"xterm\","
            + "\"session\":1,\"id\":1,\"pos\":0,\"time\":1700000000.5,\"timing\":\"=80x24>2+10<3>5\",\"in_txt\":\"ls\\r\","
            + "\"out_txt\":\"$ ls\\r\\n\"}\n";

    @Provide
    Arbitrary<String> snippets() {
        return Arbitraries.of("{", "}", "[", "]", ",", "\"", ":", "\n", "1e999", "-1", "0", "9000000000000000000",
                "null", "\"x\"", "=0x0", ">9", "+", "\\u0000", " ");
    }

    @Provide
    Arbitrary<String> casts() {
        return Mutations.of(CAST, snippets(), 1);
    }

    @Provide
    Arbitrary<String> tlogs() {
        return Mutations.of(TLOG, snippets(), 1);
    }

    @Property(tries = 150)
    void mutatedCasts(@ForAll("casts") String text) throws IOException {
        importedOrRefused(text, "asciicast");
    }

    @Property(tries = 150)
    void mutatedTlogs(@ForAll("tlogs") String text) throws IOException {
        importedOrRefused(text, "tlog");
    }

    private static void importedOrRefused(String text, String format) throws IOException {
        Path dir = Files.createTempDirectory("import-prop");
        try {
            Path log = dir.resolve("log");
            Files.writeString(log, text, StandardCharsets.UTF_8);
            Path record = dir.resolve("out.tta");
            CliRun run = CliRun.of("import", log.toString(), "--format", format, "-o", record.toString());
            if (run.exitCode() == 0) {
                assertThat(CliRun.of("verify", record.toString()).exitCode()).isZero();
            } else {
                assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
                assertThat(run.err()).as(run.toString()).startsWith("ttyaudit: " + log + ": ").endsWith("\n")
                        .containsOnlyOnce("\n").doesNotContain("Exception");
                assertThat(record).doesNotExist();
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
