package org.ttyaudit.cli.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM settings the shared launcher script ({@code bin/run-jar.sh}, also the Debian package's) gives each
 * command, read back from the real JVM ({@code -XX:+PrintCommandLineFlags}): the recorder starts small and
 * quick (serial GC, C1 only); the server and the gateway, long-running services, get both JIT compilers and
 * their larger heaps.
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

    /** The flags the JVM reports when the launcher runs {@code COMMAND --help}, with the command's options variable. */
    private String flagsOf(String command, String optionsVariable) throws IOException, InterruptedException {
        assertThat(JAR).as("the packaged jar (mvn package)").exists();
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "jar=\"$1\"; cds=\"$2\"; shift 2; . \"$0\"",
                SCRIPT.toAbsolutePath().toString(), JAR.toAbsolutePath().toString(),
                dir.resolve("ttyaudit.jsa").toString(), command, "--help");
        pb.environment().put("TTYAUDIT_NO_CDS", "1");
        pb.environment().put(optionsVariable, "-XX:+PrintCommandLineFlags");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String flags = out.lines().filter(l -> l.startsWith("-XX:")).findFirst().orElse("");
        assertThat(flags).as("the JVM printed its flags: " + out).isNotEmpty();
        return flags;
    }
}
