package org.ttyaudit.cli.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JVM settings the shared launcher script ({@code bin/run-jar.sh}, also the Debian package's) gives each
 * command, read back from the real JVM ({@code -XX:+PrintCommandLineFlags}): the recorder starts small and
 * quick (serial GC, C1 only); the server and the gateway, long-running services, get both JIT compilers and
 * their larger heaps. And the recorder loads the native libraries the launcher copied out of the jar once,
 * rather than unpacking them into /tmp at every start (which fails where /tmp is mounted noexec).
 */
class LauncherJvmSettingsIT {
    private static final Path JAR = Path.of("target/ttyaudit.jar");
    private static final Path SCRIPT = Path.of("../bin/run-jar.sh");

    @TempDir
    Path dir;

    @Test
    void theRecorderRunsWithC1OnlyAndTheSerialCollector() throws Exception {
        String flags = flagsOf("record", "TTYAUDIT_JAVA_OPTS");
        assertThat(flags).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:MaxHeapSize=67108864",
                "-XX:Tier3InvocationThreshold=50");
    }

    @Test
    void aSessionRunsFromTheRecordersJarWithTheArchiveMadeOnItsFirstStart() throws Exception {
        Path cds = dir.resolve("ttyaudit.jsa");
        Path record = dir.resolve("r.tta");
        Path classes = dir.resolve("classes.log");
        ProcessBuilder pb = launcher(cds, "record", "-o", record.toString(), "--", "sh", "-c", "echo from-a-session");
        pb.environment().put("TTYAUDIT_JAVA_OPTS", "-XshowSettings:properties -Xlog:class+load=info:file=" + classes);
        String out = output(pb);
        assertThat(out).contains("from-a-session")
                .contains("java.class.path = " + JAR.toAbsolutePath().getParent().resolve("ttyaudit-recorder.jar"));
        assertThat(cds).isRegularFile();
        // the session's classes came from that archive (the JDK's own has none of ours)
        assertThat(Files.readString(classes))
                .contains("org.ttyaudit.recorder.session.Recorder source: shared objects file")
                .contains("org.ttyaudit.recorder.session.InputPump source: shared objects file");
        assertThat(dir).isDirectoryNotContaining("glob:**.jsa.*"); // no half-written archive left behind

        // any other command runs from the whole jar (the recorder's has no store, server or gateway)
        ProcessBuilder verify = launcher(cds, "verify", record.toString());
        verify.environment().put("TTYAUDIT_JAVA_OPTS", "-XshowSettings:properties");
        assertThat(output(verify)).contains("intact")
                .contains("java.class.path = " + JAR.toAbsolutePath());
    }

    @Test
    void everyCommandLoadsTheNativeLibrariesFromTheCopiesNextToTheArchive() throws Exception {
        for (String command : List.of("record", "server", "gateway")) {
            ProcessBuilder pb = launcher(dir.resolve("ttyaudit.jsa"), command, "--help");
            pb.environment().put("TTYAUDIT_NO_CDS", "1");
            String options = switch (command) {
                case "server" -> "TTYAUDIT_SERVER_JAVA_OPTS";
                case "gateway" -> "TTYAUDIT_GATEWAY_JAVA_OPTS";
                default -> "TTYAUDIT_JAVA_OPTS";
            };
            pb.environment().put(options, "-XshowSettings:properties");
            assertThat(output(pb)).as(command)
                    .contains("ZstdNativePath = " + dir.resolve("ttyaudit-native/libzstd-jni.so"))
                    .contains("jna.boot.library.path = " + dir.resolve("ttyaudit-native"))
                    .contains("org.sqlite.lib.path = " + dir.resolve("ttyaudit-native"));
        }
    }

    @Test
    void theGatewayRunsAsAServiceWithBothCompilersAndHalfAGigabyteOfHeap() throws Exception {
        String flags = flagsOf("gateway", "TTYAUDIT_GATEWAY_JAVA_OPTS");
        assertThat(flags).contains("-XX:MaxHeapSize=536870912", "-XX:+ExitOnOutOfMemoryError")
                .doesNotContain("TieredStopAtLevel", "UseSerialGC");
    }

    @Test
    void theServerRunsAsAServiceWithBothCompilersAndAGigabyteOfHeap() throws Exception {
        String flags = flagsOf("server", "TTYAUDIT_SERVER_JAVA_OPTS");
        assertThat(flags).contains("-XX:MaxHeapSize=1073741824", "-XX:+ExitOnOutOfMemoryError")
                .doesNotContain("TieredStopAtLevel", "UseSerialGC");
    }

    @Test
    void aSessionRecordsAndTheServerStartsWhereTheTemporaryDirectoryIsMountedNoexec() throws Exception {
        // Unpacked into a noexec /tmp, zstd-jni's and JNA's libraries cannot be loaded (the session would fail
        // closed, or not start), nor sqlite-jdbc's (no server): they load because the launcher points them at the
        // copies next to the archive.
        Path noexec = Files.createDirectory(dir.resolve("noexec-tmp"));
        assumeTrue(run(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs",
                noexec.toString())) == 0, "mounting a noexec tmpfs needs root");
        try {
            Path record = dir.resolve("r.tta");
            ProcessBuilder pb = launcher(dir.resolve("ttyaudit.jsa"), "record", "-o", record.toString(), "--",
                    "sh", "-c", "echo native-libraries-loaded");
            pb.environment().put("TTYAUDIT_NO_CDS", "1");
            pb.environment().put("TTYAUDIT_JAVA_OPTS", "-Djava.io.tmpdir=" + noexec + " -Djna.tmpdir=" + noexec);
            assertThat(output(pb)).contains("native-libraries-loaded");
            assertThat(dir.resolve("ttyaudit-native/libzstd-jni.so")).isRegularFile();
            assertThat(dir.resolve("ttyaudit-native/libjnidispatch.so")).isRegularFile();
            ProcessBuilder verify = launcher(dir.resolve("ttyaudit.jsa"), "verify", record.toString());
            verify.environment().put("TTYAUDIT_NO_CDS", "1");
            assertThat(output(verify)).contains("intact, complete: 1 chunks");
            assertThat(dir.resolve("ttyaudit-native/libsqlitejdbc.so")).isRegularFile();
            assertThat(serverStarts(noexec)).as("the server opens its embedded store (sqlite-jdbc)").isTrue();
        } finally {
            run(new ProcessBuilder("umount", noexec.toString()));
        }
    }

    /** Whether a server started through the launcher with its temporary directory in {@code tmp} comes up. */
    private boolean serverStarts(Path tmp) throws IOException, InterruptedException {
        ProcessBuilder pb = launcher(dir.resolve("ttyaudit.jsa"), "server", "--data", dir.resolve("server").toString(),
                "--listen", "127.0.0.1:0");
        pb.environment().put("TTYAUDIT_SERVER_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        Process p = pb.start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("ttyaudit server listening on")) {
                    return true;
                }
            }
            return false;
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private ProcessBuilder launcher(Path cds, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "jar=\"$1\"; cds=\"$2\"; shift 2; . \"$0\"",
                SCRIPT.toAbsolutePath().toString(), JAR.toAbsolutePath().toString(), cds.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb;
    }

    /** What the process printed; it must exit 0. */
    private static String output(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static int run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** The flags the JVM reports when the launcher runs {@code COMMAND --help}, with the command's options variable. */
    private String flagsOf(String command, String optionsVariable) throws IOException, InterruptedException {
        assertThat(JAR).as("the packaged jar (mvn package)").exists();
        ProcessBuilder pb = launcher(dir.resolve("ttyaudit.jsa"), command, "--help");
        pb.environment().put("TTYAUDIT_NO_CDS", "1");
        pb.environment().put(optionsVariable, "-XX:+PrintCommandLineFlags");
        String out = output(pb);
        String flags = out.lines().filter(l -> l.startsWith("-XX:")).findFirst().orElse("");
        assertThat(flags).as("the JVM printed its flags: " + out).isNotEmpty();
        return flags;
    }
}
