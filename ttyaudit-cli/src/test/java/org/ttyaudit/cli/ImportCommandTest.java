package org.ttyaudit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.HostCredentialFile;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ttyaudit import} in-process: where the record goes, what it holds, and how bad input is reported. */
class ImportCommandTest {
    private static final String CAST = """
            {"version": 2, "width": 100, "height": 30, "timestamp": 1700000000, "env": {"TERM": "xterm", "SHELL": "/bin/bash"}}
            [0.1, "o", "$ "]
            [0.5, "i", "mytool --password=hunter2\\r"]
            [0.5, "o", "mytool --password=hunter2\\r\\n"]
            [1.0, "r", "120x40"]
            [1.25, "o", "done\\r\\n"]
            """;

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static Path printedRecord(CliRun run) {
        Matcher m = Pattern.compile("as session \\S+: (\\S+)").matcher(run.out());
        assertThat(m.find()).as(run.toString()).isTrue();
        return Path.of(m.group(1));
    }

    private static String bytesOf(List<Event> events, Class<? extends Event> kind) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Event e : events) {
            if (kind.isInstance(e)) {
                b.writeBytes(e instanceof OutputEvent o ? o.data() : ((InputEvent) e).data());
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAsciicastGoesIntoTheSpoolAsAnImportWithItsSecretsMasked() throws Exception {
        Path cast = write("demo.cast", CAST);
        Path data = tmp.resolve("data");
        CliRun run = CliRun.of("import", cast.toString(), "--format", "asciicast", "--data", data.toString(),
                "--user", "alice", "--host", "laptop");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path record = printedRecord(run);
        assertThat(record.getParent()).isEqualTo(data.resolve("spool"));
        assertThat(run.out()).contains("(asciicast-v2, 6 events, 1.250 s)");

        CliRun verify = CliRun.of("verify", record.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("intact, complete");

        Recording r = RecordFileReader.open(record);
        assertThat(r.header().kind()).isEqualTo("import");
        assertThat(r.header().user()).isEqualTo("alice");
        assertThat(r.header().host()).isEqualTo("laptop");
        assertThat(r.header().cols()).isEqualTo(100);
        assertThat(r.header().term()).isEqualTo("xterm");
        assertThat(r.header().startedAt()).hasToString("2023-11-14T22:13:20Z");
        assertThat(r.header().tags()).containsEntry("import_format", "asciicast-v2")
                .containsEntry("import_source", cast.toString()).containsEntry("shell", "/bin/bash")
                .containsKeys("import_sha256", "imported_at", "imported_by");
        assertThat(r.header().tags().get("import_sha256")).hasSize(64);
        List<Event> events = new java.util.ArrayList<>();
        r.events().forEach(events::add);
        assertThat(bytesOf(events, OutputEvent.class)).contains("$ ").contains("done").doesNotContain("hunter2");
        assertThat(bytesOf(events, InputEvent.class)).startsWith("mytool --password=").doesNotContain("hunter2");
        assertThat(events).extracting(Event::kind).contains("resize");
        // Keystrokes and echo make the command line visible on the screen, as in a gateway session.
        CliRun commands = CliRun.of("commands", record.toString(), "--json");
        assertThat(commands.exitCode()).as(commands.toString()).isZero();
        assertThat(commands.out()).contains("\"command\" : \"mytool --password=").contains("\"source\" : \"screen\"")
                .doesNotContain("hunter2");
        assertThat(r.end()).hasValueSatisfying(e -> {
            assertThat(e.end().reason()).isEqualTo("unknown");
            assertThat(e.end().exitStatus()).isEqualTo(-1);
            assertThat(e.end().endedAt()).hasToString("2023-11-14T22:13:21.250Z");
        });
    }

    @Test
    void theSameFileAgainIsNotASecondSessionUnlessForced() throws Exception {
        Path cast = write("again.cast", CAST);
        Path data = tmp.resolve("data");
        CliRun first = CliRun.of("import", cast.toString(), "--format", "asciicast", "--data", data.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path record = printedRecord(first);
        String id = RecordFileReader.open(record).header().sessionId().toString();
        String already = "ttyaudit: %s: already imported as session " + id + " (the same SHA-256; --force imports it "
                + "again)\n";

        CliRun again = CliRun.of("import", cast.toString(), "--format", "asciicast", "--data", data.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).isEqualTo(already.formatted(cast));
        assertThat(new Spool(data.resolve("spool")).entries()).hasSize(1);
        // uploaded meanwhile (gone from the spool), and under another name: still the same content
        Files.delete(record);
        Path copy = write("copy.cast", CAST);
        assertThat(CliRun.of("import", copy.toString(), "--format", "asciicast", "--data", data.toString()).out())
                .isEqualTo(already.formatted(copy));
        assertThat(new Spool(data.resolve("spool")).entries()).isEmpty();

        CliRun forced = CliRun.of("import", cast.toString(), "--format", "asciicast", "--data", data.toString(),
                "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(RecordFileReader.open(printedRecord(forced)).header().sessionId().toString()).isNotEqualTo(id);
        // a changed file is another import
        Path changed = write("changed.cast", CAST + "[9.0, \"o\", \"more\"]\n");
        assertThat(CliRun.of("import", changed.toString(), "--format", "asciicast", "--data", data.toString()).out())
                .contains("imported " + changed);
        assertThat(new Spool(data.resolve("spool")).entries()).hasSize(2);
    }

    @Test
    void withOutputTheRecordGoesThereAndTheSpoolStaysEmpty() throws Exception {
        Path cast = write("x.cast", "{\"version\": 3, \"term\": {\"cols\": 80, \"rows\": 24}, \"timestamp\": 1}\n"
                + "[0.5, \"o\", \"hi\"]\n[0.5, \"x\", \"7\"]\n");
        Path out = tmp.resolve("x.tta");
        CliRun run = CliRun.of("import", cast.toString(), "--format", "asciicast", "-o", out.toString(), "--data",
                tmp.resolve("data").toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(printedRecord(run)).isEqualTo(out);
        assertThat(RecordFileReader.open(out).end().orElseThrow().end().exitStatus()).isEqualTo(7);
        assertThat(tmp.resolve("data/spool")).doesNotExist();

        CliRun again = CliRun.of("import", cast.toString(), "--format", "asciicast", "-o", out.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("--output: " + out + " already exists");
    }

    @Test
    void badInputIsOneLineNamingFileAndLineAndLeavesNothingBehind() throws Exception {
        Path data = tmp.resolve("data");
        Path tlog = write("t.json", "{\"ver\":\"2.3\",\"host\":\"h\",\"rec\":\"r\",\"user\":\"u\",\"term\":\"xterm\","
                + "\"session\":1,\"id\":1,\"pos\":0,\"timing\":\">2\",\"out_txt\":\"ab\"}\n"
                + "{\"ver\":\"2.3\",\"host\":\"h\",\"rec\":\"r\",\"user\":\"u\",\"term\":\"xterm\","
                + "\"session\":1,\"id\":2,\"pos\":5,\"timing\":\">9\",\"out_txt\":\"cd\"}\n");
        CliRun run = CliRun.of("import", tlog.toString(), "--format", "tlog", "--data", data.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("ttyaudit: " + tlog
                + ": line 2: timing takes 9 characters of out_txt, which has fewer left\n");
        try (Stream<Path> files = Files.list(data.resolve("spool"))) {
            assertThat(files).isEmpty();
        }

        CliRun wrongFormat = CliRun.of("import", tlog.toString(), "--format", "asciicast", "--data", data.toString());
        assertThat(wrongFormat.exitCode()).isEqualTo(1);
        assertThat(wrongFormat.err()).startsWith("ttyaudit: " + tlog + ": line 1: header has no integer \"version\"")
                .doesNotContain("Exception").doesNotContain("\tat ");

        CliRun notSudo = CliRun.of("import", tmp.toString(), "--format", "sudo", "--data", data.toString());
        assertThat(notSudo.err()).isEqualTo("ttyaudit: " + tmp + ": no timing file: not a sudo I/O log directory\n");
    }

    @Test
    void aServerThatCannotBeReachedLeavesTheRecordInTheSpoolForUpload() throws Exception {
        Path cast = write("x.cast", CAST);
        Path credential = tmp.resolve("host.json");
        HostCredentialFile.write(credential, new HostCredential(URI.create("http://127.0.0.1:9"), null, "host-1",
                "tth_test"));
        Path data = tmp.resolve("data");
        CliRun run = CliRun.of("import", cast.toString(), "--format", "asciicast", "--server", "http://127.0.0.1:9/",
                "--credential-file", credential.toString(), "--data", data.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("but it was not uploaded (").contains("'ttyaudit upload' retries it");
        Spool spool = new Spool(data.resolve("spool"));
        assertThat(spool.pending()).singleElement().satisfies(e ->
                assertThat(CliRun.of("verify", e.path().toString()).exitCode()).isZero());

        CliRun other = CliRun.of("import", cast.toString(), "--format", "asciicast", "--server",
                "https://audit.example", "--credential-file", credential.toString(), "--data", data.toString());
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("--server: this host is enrolled with http://127.0.0.1:9, not "
                + "https://audit.example");
    }

    @Test
    void theProgressBarIsForLargeLogsOnATerminalOnly() {
        java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(shown, true, StandardCharsets.UTF_8);
        try (ImportProgress none = ImportProgress.start("small", ImportProgress.MIN_BYTES - 1, true, 80, err);
             ImportProgress piped = ImportProgress.start("piped", ImportProgress.MIN_BYTES, false, 80, err)) {
            assertThat(none.shown()).isFalse();
            assertThat(piped.shown()).isFalse();
            none.accept(5);
        }
        assertThat(shown.size()).isZero();
        try (ImportProgress bar = ImportProgress.start("big.cast", 2 * ImportProgress.MIN_BYTES, true, 100, err)) {
            assertThat(bar.shown()).isTrue();
            bar.accept(ImportProgress.MIN_BYTES);
        }
        assertThat(shown.toString(StandardCharsets.UTF_8)).contains("big.cast").contains("%");
    }

    @Test
    void usageMistakesSayWhatIsWrong() throws Exception {
        Path cast = write("x.cast", CAST);
        assertThat(CliRun.of("import", cast.toString(), "--format", "ttyrec").err())
                .contains("--format: unknown format 'ttyrec' (expected asciicast, sudo or tlog)");
        assertThat(CliRun.of("import", tmp.resolve("missing").toString(), "--format", "sudo").err())
                .contains(tmp.resolve("missing") + ": no such file or directory");
        assertThat(CliRun.of("import", cast.toString(), "--format", "asciicast", "--credential-file", "x").err())
                .contains("--credential-file is for --server");
        CliRun noCredential = CliRun.of("import", cast.toString(), "--format", "asciicast", "--server",
                "https://audit.example", "--credential-file", tmp.resolve("none.json").toString());
        assertThat(noCredential.exitCode()).isEqualTo(2);
        assertThat(noCredential.err()).contains("no host credential at " + tmp.resolve("none.json"));
    }
}
