package org.ttyaudit.cli.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.cli.e2e.RecordFixture;
import org.ttyaudit.cli.e2e.TerminalSession;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.recorder.pty.WindowSize;
import org.ttyaudit.recorder.upload.FakeIngestServer;
import org.ttyaudit.recorder.upload.HostCredentialFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder's jar (target/ttyaudit-recorder.jar, what {@code record} and {@code shell} run from: bin/run-jar.sh)
 * holds everything a session can reach. Read with the JDK's own dependency analyser (jdeps) over the jar:
 * a class of ours that refers to a class the jar lacks would fail a session with NoClassDefFoundError, on the
 * first login that takes that path. Only the commands that always run from the whole jar may do so (their classes
 * are in the jar because picocli's help lists every command). And a session run from it uploads.
 */
class RecorderJarIT {
    private static final Path JAR = Path.of("target/ttyaudit-recorder.jar");
    /** Commands that run from the whole jar, and what only they use. */
    private static final Set<String> WHOLE_JAR_ONLY = Set.of("org.ttyaudit.cli.ServerCommand",
            "org.ttyaudit.cli.GatewayCommand", "org.ttyaudit.cli.GatewayCommand$Mode",
            "org.ttyaudit.cli.MigrateCommand", "org.ttyaudit.cli.MigrateProgress", "org.ttyaudit.cli.ImportProgress",
            "org.ttyaudit.cli.VerifyCommand", "org.ttyaudit.cli.install.NativeLibraries");
    private static final Pattern MISSING = Pattern.compile("^\\s*(\\S+)\\s+->\\s+(\\S+)\\s+not found\\s*$");

    @TempDir
    Path dir;

    @Test
    void everyClassASessionCanReachIsInTheJar() throws Exception {
        assertThat(JAR).as("the recorder jar (mvn package)").exists();
        StringWriter out = new StringWriter();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "--multi-release", "17",
                JAR.toAbsolutePath().toString());
        assertThat(status).as(out.toString()).isZero();

        Set<String> lacking = new TreeSet<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = MISSING.matcher(line);
            if (m.matches() && m.group(1).startsWith("org.ttyaudit.") && !WHOLE_JAR_ONLY.contains(m.group(1))) {
                lacking.add(m.group(1) + " -> " + m.group(2));
            }
        }
        assertThat(lacking).as("classes of ours that refer to classes the recorder jar lacks").isEmpty();
        // The analysis saw the server's classes missing where the whole jar's commands use them.
        assertThat(out.toString()).contains("org.ttyaudit.cli.ServerCommand").contains("not found");
    }

    @Test
    void aSessionRunFromTheJarShipsItselfToAServer() throws Exception {
        // The upload path (TLS with the pinned certificate, JSON, the chunks, the end) as a session runs it from
        // this jar, against the ingest protocol's test double.
        try (FakeIngestServer server = FakeIngestServer.start(dir.resolve("tls"))) {
            Path credential = dir.resolve("host.json");
            HostCredentialFile.write(credential, server.credential());
            List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", JAR.toAbsolutePath().toString(), "record", "--upload", "--credential-file",
                    credential.toString(), "--", "sh", "-c", "echo shipped-from-the-recorder-jar");
            try (TerminalSession t = TerminalSession.startProgram(argv,
                    RecordFixture.environment(dir, "/bin/sh"), new WindowSize(80, 24))) {
                assertThat(t.awaitExit().code()).as(t.output()).isZero();
                assertThat(t.output()).contains("uploaded to " + server.uri());
            }
            assertThat(server.sessions()).singleElement().satisfies(s -> {
                assertThat(s.end()).isPresent();
                assertThat(s.chunks().stream().flatMap(c -> c.decodeEvents().stream())
                        .filter(e -> e instanceof OutputEvent)
                        .map(e -> new String(((OutputEvent) e).data(), StandardCharsets.UTF_8)))
                        .anyMatch(text -> text.contains("shipped-from-the-recorder-jar"));
            });
        }
    }

    @Test
    void theJarHoldsNoServerGatewayOrStoreLibraries() throws IOException {
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            assertThat(jar.stream().map(ZipEntry::getName))
                    .noneMatch(n -> n.startsWith("org/ttyaudit/server/") || n.startsWith("org/ttyaudit/gateway/")
                            || n.startsWith("org/bouncycastle/") || n.startsWith("org/eclipse/jetty/")
                            || n.startsWith("org/sqlite/") || n.startsWith("software/amazon/"))
                    .contains("org/ttyaudit/cli/Main.class", "org/ttyaudit/recorder/session/Recorder.class",
                            "com/sun/jna/Native.class", "com/github/luben/zstd/Zstd.class");
            // a few thousand entries, not the whole program's 23,000: their central directory sits in the heap
            assertThat(jar.size()).isLessThan(4000);
        }
    }
}
