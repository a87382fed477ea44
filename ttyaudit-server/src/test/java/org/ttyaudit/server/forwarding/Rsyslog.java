package org.ttyaudit.server.forwarding;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslogd (Debian's), started by a test in the foreground with its own configuration: {@code imtcp} on a
 * loopback port (plain, or TLS with the gtls driver), every message written by {@code omfile} to a file as one
 * line {@code MSGID TAB STRUCTURED-DATA TAB MSG}. Restartable on the same port (an outage).
 */
final class Rsyslog implements AutoCloseable {
    static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    private static final Path GTLS = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so");

    final Path dir;
    final int port;
    final Path out;
    private final Path config;
    private Process process;

    private Rsyslog(Path dir, int port, Path certFile, Path keyFile) throws IOException {
        this.dir = dir;
        this.port = port;
        this.out = dir.resolve("received.log");
        this.config = dir.resolve("rsyslog.conf");
        Files.createDirectories(dir.resolve("work"));
        String tls = certFile == null ? "" : "global(DefaultNetstreamDriver=\"gtls\" DefaultNetstreamDriverCAFile=\""
                + certFile + "\" DefaultNetstreamDriverCertFile=\"" + certFile + "\" DefaultNetstreamDriverKeyFile=\""
                + keyFile + "\")\n";
        String imtcp = certFile == null ? "module(load=\"imtcp\")\n"
                : "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\""
                + " StreamDriver.AuthMode=\"anon\")\n";
        Files.writeString(config, "global(workDirectory=\"" + dir.resolve("work") + "\" maxMessageSize=\"64k\")\n"
                + tls + imtcp
                + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + port + "\")\n"
                + "template(name=\"fields\" type=\"string\" string=\"%msgid%\\t%structured-data%\\t%msg%\\n\")\n"
                + "action(type=\"omfile\" file=\"" + out + "\" template=\"fields\" flushOnTXEnd=\"on\")\n",
                StandardCharsets.UTF_8);
    }

    /** Whether rsyslogd (and, for TLS, its GnuTLS driver, package rsyslog-gnutls) is installed. */
    static boolean installed(boolean tls) {
        return Files.isExecutable(RSYSLOGD) && (!tls || Files.exists(GTLS));
    }

    /** Starts rsyslogd on a free port; {@code certFile} and {@code keyFile} (PEM) for TLS, else null. */
    static Rsyslog start(Path dir, Path certFile, Path keyFile) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Rsyslog r = new Rsyslog(dir, port, certFile, keyFile);
        r.start();
        return r;
    }

    /** (Re)starts the daemon and waits until it accepts connections. */
    void start() throws Exception {
        process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", config.toString(), "-i",
                dir.resolve("rsyslogd.pid").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("rsyslogd exited: " + Files.readString(
                            dir.resolve("rsyslogd.out")));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rsyslogd does not listen on " + port + ": "
                            + Files.readString(dir.resolve("rsyslogd.out")));
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops the daemon (SIGTERM: it writes what it received, then exits). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The lines written so far. */
    List<String> lines() throws IOException {
        if (!Files.exists(out)) {
            return List.of();
        }
        return new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
