package org.ttyaudit.bench.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk throughput as users see it: the real OpenSSH client ({@code ssh}) runs {@code cat FILE} and this JVM
 * counts what arrives on its standard output. The cipher and MAC are what {@code ssh} negotiates with its
 * default preferences (or {@code -c}), so the number reflects what a user's client picks against the server's
 * offer.
 *
 * <p>Each stream has a connection of its own, opened beforehand as a control master ({@code ssh -M}); the timed
 * {@code ssh -S} runs over it, so logins (key exchange, authentication) are not part of the time, as with the
 * MINA client's bulk measurement.
 */
final class OpenSshBulk {
    private static final long TIMEOUT_SECONDS = 600;

    private final Path key;
    private final Path knownHosts;
    private final Path work;
    /** {@code ssh -c} value; empty: the client's default order. */
    private final String ciphers;

    OpenSshBulk(Path key, Path knownHosts, Path work, String ciphers) {
        this.key = key;
        this.knownHosts = knownHosts;
        this.work = work;
        this.ciphers = ciphers;
    }

    /** What one run measured. */
    record Result(long bytes, double seconds, String negotiated) {
    }

    /**
     * {@code streams} parallel {@code cat file} over connections of their own to {@code login@127.0.0.1:port}.
     */
    Result run(String login, int port, Path file, int streams) throws IOException, InterruptedException {
        List<Path> sockets = new ArrayList<>();
        List<Process> masters = new ArrayList<>();
        String negotiated = "?";
        try {
            for (int i = 0; i < streams; i++) {
                Path socket = Files.createTempFile(work, "mux", ".sock");
                Files.delete(socket);
                Path log = work.resolve(socket.getFileName() + ".log");
                Process master = new ProcessBuilder(command(login, port, socket,
                        List.of("-M", "-N", "-v", "-E", log.toString()), List.of()))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                masters.add(master);
                sockets.add(socket);
                awaitMaster(login, port, socket, master);
                negotiated = negotiated(log);
            }
            AtomicLong bytes = new AtomicLong();
            List<Process> cats = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (Path socket : sockets) {
                Process cat = new ProcessBuilder(command(login, port, socket, List.of(),
                        List.of("cat", file.toString())))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                cats.add(cat);
                Thread reader = new Thread(() -> count(cat.getInputStream(), bytes), "bulk-reader");
                reader.start();
                readers.add(reader);
            }
            for (Thread r : readers) {
                r.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (Process cat : cats) {
                if (!cat.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || cat.exitValue() != 0) {
                    throw new IOException("ssh cat failed (exit " + (cat.isAlive() ? "none" : cat.exitValue()) + ")");
                }
            }
            return new Result(bytes.get(), seconds, negotiated);
        } finally {
            for (Process m : masters) {
                m.destroy();
                m.waitFor(10, TimeUnit.SECONDS);
            }
            for (Path s : sockets) {
                Files.deleteIfExists(s);
            }
        }
    }

    private List<String> command(String login, int port, Path socket, List<String> options, List<String> remote) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-i", key.toString(), "-o",
                "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o",
                "UserKnownHostsFile=" + knownHosts, "-o", "ControlPath=" + socket, "-p", Integer.toString(port)));
        if (!ciphers.isEmpty()) {
            cmd.addAll(List.of("-c", ciphers));
        }
        cmd.addAll(options);
        cmd.add(login + "@127.0.0.1");
        cmd.addAll(remote);
        return cmd;
    }

    private void awaitMaster(String login, int port, Path socket, Process master)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new IOException("ssh master to " + login + " port " + port + " exited " + master.exitValue());
            }
            Process check = new ProcessBuilder(command(login, port, socket, List.of("-O", "check"), List.of()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (check.waitFor() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("ssh master to " + login + " port " + port + " did not come up");
    }

    /** The cipher and MAC the master's log says were negotiated (server to client). */
    private static String negotiated(Path log) throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            int at = line.indexOf("kex: server->client cipher: ");
            if (at >= 0) {
                return line.substring(at + "kex: server->client ".length()).trim();
            }
        }
        return "?";
    }

    private static void count(InputStream in, AtomicLong bytes) {
        byte[] buf = new byte[128 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                bytes.addAndGet(n);
            }
        } catch (IOException e) {
            // the process ended; the byte count tells
        }
    }
}
