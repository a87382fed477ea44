package org.ttyaudit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a recorded session loads before and while it runs, read from the real JVM of the jar sessions run from
 * ({@code -Xlog:class+load}): picocli stays out of a plain {@code record} line (its first use cost ~100 ms of every
 * session's start, docs/PERFORMANCE.md), and JNA does not start {@code ldconfig} (a process per session start).
 * Anything that brings them back onto the session's path fails here rather than only in a benchmark.
 */
class SessionStartClassesIT {
    /** The jar sessions run from (bin/run-jar.sh). */
    private static final Path JAR = Path.of("target/ttyaudit-recorder.jar");

    @TempDir
    Path dir;

    @Test
    void aPlainRecordLineNeitherParsesWithPicocliNorRunsLdconfig() throws Exception {
        List<String> loaded = classesLoadedBy("record", "-o", dir.resolve("s.tta").toString(), "--", "true");
        assertThat(loaded).as("the session ran").contains("org.ttyaudit.recorder.pty.ChildProcess");
        // Two interfaces are still resolved (Main's factory for picocli's commands and the version provider);
        // the parser itself, its model and its annotation processing are not.
        assertThat(loaded).filteredOn(c -> c.startsWith("picocli."))
                .doesNotContain("picocli.CommandLine", "picocli.CommandLine$Model$CommandSpec").hasSizeLessThan(5);
        assertThat(loaded).as("JNA's ldconfig run starts a process").doesNotContain("java.lang.ProcessBuilder");
    }

    @Test
    void helpStillGoesThroughPicocli() throws Exception {
        assertThat(classesLoadedBy("record", "--help")).contains("picocli.CommandLine");
    }

    /** The classes the JVM loads running the recorder jar with {@code args} (no CDS: every class is named). */
    private List<String> classesLoadedBy(String... args) throws Exception {
        assertThat(JAR).as("the recorder jar (mvn package)").exists();
        Path log = dir.resolve("classes.log");
        List<String> cmd = new java.util.ArrayList<>(List.of("java", "-Xshare:off",
                "-Xlog:class+load=info:file=" + log, "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Files.readAllLines(log).stream().map(l -> l.replaceFirst("^\\[[^]]*]\\[[^]]*]\\[[^]]*] ?", ""))
                .map(l -> l.split(" ", 2)[0]).toList();
    }
}
