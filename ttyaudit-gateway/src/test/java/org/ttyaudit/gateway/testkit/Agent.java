package org.ttyaudit.gateway.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real OpenSSH {@code ssh-agent} on a socket of its own, holding the keys given to {@link #add}. */
public final class Agent implements AutoCloseable {
    private final Path socket;
    private final Process process;

    private Agent(Path socket, Process process) {
        this.socket = socket;
        this.process = process;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/ssh-agent")) && Files.isExecutable(Path.of("/usr/bin/ssh-add"));
    }

    /** Starts {@code ssh-agent -D} listening on {@code socket}. */
    public static Agent start(Path socket) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroy();
                throw new IOException("ssh-agent did not start on " + socket);
            }
            Thread.sleep(20);
        }
        return new Agent(socket, p);
    }

    /** What a client needs in its environment to use this agent. */
    public Map<String, String> env() {
        return Map.of("SSH_AUTH_SOCK", socket.toString());
    }

    /** Adds a private key (ssh-add). */
    public void add(Path key) throws IOException, InterruptedException {
        Run r = Run.of(List.of("ssh-add", key.toString()), null, env());
        if (r.exit() != 0) {
            throw new IOException("ssh-add failed: " + r.err());
        }
    }

    /** The SHA-256 fingerprint of a key file, as {@code ssh-add -l} lists it ({@code SHA256:…}). */
    public static String fingerprint(Path key) throws IOException, InterruptedException {
        Run r = Run.of(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", key.toString()), null);
        if (r.exit() != 0) {
            throw new IOException("ssh-keygen -l failed: " + r.err());
        }
        return r.out().split(" ")[1];
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
