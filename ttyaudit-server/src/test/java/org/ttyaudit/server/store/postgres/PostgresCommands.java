package org.ttyaudit.server.store.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a private PostgreSQL cluster on this machine needs from the operating system: Debian's binaries, a free
 * loopback port, and commands run (as the {@code postgres} user where initdb refuses root). Shared by the tests'
 * {@link PostgresCluster} and the benchmarks' cluster (ttyaudit-bench uses this test-jar).
 */
public final class PostgresCommands {
    /** Where Debian's postgresql packages put one directory per major version. */
    public static final Path INSTALL_BASE = Path.of("/usr/lib/postgresql");

    private PostgresCommands() {
    }

    /**
     * The {@code bin} directory of the newest installed major version that has {@code initdb}.
     *
     * @throws IOException when PostgreSQL is not installed
     */
    public static Path newestBin() throws IOException {
        if (!Files.isDirectory(INSTALL_BASE)) {
            throw new IOException("PostgreSQL is not installed (no " + INSTALL_BASE + "; apt-get install postgresql)");
        }
        try (Stream<Path> versions = Files.list(INSTALL_BASE)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IOException("no initdb under " + INSTALL_BASE));
        }
    }

    /** A loopback port free at the moment of asking. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Runs {@code command} to its end, as the {@code postgres} user when {@code asPostgres}.
     *
     * @throws IOException naming the command and its output when it fails or outlasts {@code timeout}
     */
    public static void run(List<String> command, boolean asPostgres, Duration timeout) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", full), e);
        }
    }
}
