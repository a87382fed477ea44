package org.ttyaudit.gateway.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real OpenSSH server on a loopback port, with a configuration of its own in a temporary directory (host key,
 * authorized keys, the system's sftp-server). It lets in the current user with the keys given to
 * {@link #authorize}; passwords are off.
 */
public final class Sshd implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    /** Whether OpenSSH's server and clients are installed (tests skip without them and say why). */
    public static boolean installed() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh"));
    }

    public static final String MISSING = "needs OpenSSH (apt-get install openssh-server openssh-client)";

    private final Path dir;
    private final int port;
    private final Process process;

    private Sshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts sshd with a fresh ed25519 host key in {@code dir}. */
    public static Sshd start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of());
    }

    /**
     * The same with more {@code sshd_config} lines, e.g. {@code MaxStartups 1000} for a load test (the default,
     * 10:30:100, drops connections while many log in at once). They come first: sshd keeps the first value of each
     * keyword, so they also override the defaults here (e.g. {@code PrintMotd yes}).
     */
    public static Sshd start(Path dir, List<String> moreOptions) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd"));
        Keys.generate(dir.resolve("host_key"), "ed25519");
        Path authorized = dir.resolve("authorized_keys");
        if (!Files.exists(authorized)) {
            Files.writeString(authorized, "");
        }
        int port = freePort();
        Path config = dir.resolve("sshd_config");
        List<String> options = new java.util.ArrayList<>(moreOptions);
        options.addAll(List.of(
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized,
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PrintMotd no",
                "Subsystem sftp /usr/lib/openssh/sftp-server",
                "LogLevel ERROR"));
        Files.writeString(config, String.join("\n", options) + "\n");
        Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        Sshd sshd = new Sshd(dir, port, p);
        sshd.awaitListening(Duration.ofSeconds(10));
        return sshd;
    }

    public int port() {
        return port;
    }

    public Path hostPublicKey() {
        return dir.resolve("host_key.pub");
    }

    /** The known_hosts line of this server as {@code [127.0.0.1]:port}. */
    public String knownHostsLine() throws IOException {
        String[] pub = Files.readString(hostPublicKey()).trim().split(" ");
        return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1];
    }

    /** Lets the holder of this public key line in (as the user running the test). */
    public void authorize(String publicKeyLine) throws IOException {
        Files.writeString(dir.resolve("authorized_keys"), publicKeyLine.trim() + "\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    private void awaitListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd.log"), StandardCharsets.UTF_8));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("sshd did not listen on " + port);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
