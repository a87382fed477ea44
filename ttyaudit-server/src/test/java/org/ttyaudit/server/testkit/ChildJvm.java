package org.ttyaudit.server.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class of the test classpath run in a child JVM, for tests that kill a process with SIGKILL and
 * check what it left on disk. Collects the child's stdout lines; its stderr goes to a file shown on failure.
 */
public final class ChildJvm implements AutoCloseable {
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread pump;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.pump = new Thread(this::pumpLines, "child-stdout");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code mainClass} with the test classpath; stderr goes to {@code workDir}/child-stderr.txt. */
    public static ChildJvm start(Path workDir, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Path stderr = workDir.resolve("child-stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(p, stderr);
    }

    private void pumpLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the child died: its pipe is gone
        } finally {
            lines.add(EOF);
        }
    }

    /** Waits until the child has printed {@code count} lines in all; fails when it exits first or time is up. */
    public void awaitLines(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < count) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(EOF)) {
                throw new AssertionError("the child printed " + seen.size() + " of " + count + " lines"
                        + (line == null ? " in " + timeout : " and exited") + "; stderr: " + stderr());
            }
            seen.add(line);
        }
    }

    /** SIGKILL (no shutdown hooks, no flushing), then every line it printed before dying. */
    public List<String> killAndCollect() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the child did not die");
        }
        String line;
        while (!(line = lines.take()).equals(EOF)) {
            seen.add(line);
        }
        return List.copyOf(seen);
    }

    public String stderr() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
