package org.ttyaudit.bench.server;

import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.ServerConfig;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test: where it listens, the fingerprint to pin, the bootstrap admin's one-time password (null when
 * the data directory was used before), and its process id when it runs in its own JVM.
 *
 * <p>{@link #child} starts {@code ttyaudit server} as a separate process (the honest set-up: the load generator's
 * CPU and heap are not the server's) and parses what it prints at start; {@link #embedded} runs it in this JVM
 * (for tests of the generator itself).
 */
interface ServerHandle extends AutoCloseable {
    Pattern URL = Pattern.compile("listening on (https://\\S+)");
    Pattern FINGERPRINT = Pattern.compile("fingerprint: (sha256:[0-9a-f]{64})");
    Pattern PASSWORD = Pattern.compile("one-time password (\\S+)");

    String url();

    String fingerprint();

    /** Null when the server did not bootstrap an admin (its data directory holds one already). */
    String oneTimePassword();

    /** The server's process id; -1 when it runs in this JVM. */
    long pid();

    @Override
    void close();

    /**
     * Starts {@code java [jvmOptions] -jar serverJar server --data dataDir --listen 127.0.0.1:0} and waits until it
     * prints its fingerprint. Its further output goes to {@code dataDir/../server.log}.
     *
     * @throws IOException when it does not start, or exits or stays silent for 60 s before it is ready
     */
    static ServerHandle child(Path serverJar, Path dataDir, List<String> jvmOptions) throws IOException {
        return child(serverJar, dataDir, jvmOptions, dataDir.toAbsolutePath().getParent().resolve("server.log"));
    }

    /**
     * As {@link #child(Path, Path, List)}, its output to {@code log}: several instances that share one data
     * directory (and so its TLS certificate and ledger key) each need a log of their own.
     */
    static ServerHandle child(Path serverJar, Path dataDir, List<String> jvmOptions, Path log) throws IOException {
        if (!Files.isRegularFile(serverJar)) {
            throw new IOException("no server jar at " + serverJar + " (build it: mvn -o -q package -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", serverJar.toString(), "server", "--data", dataDir.toString(),
                "--listen", "127.0.0.1:0"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer logWriter = Files.newBufferedWriter(log);
        String url = null;
        String fingerprint = null;
        String password = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (fingerprint == null) {
            String line = out.readLine();
            if (line == null || System.nanoTime() > deadline) {
                p.destroyForcibly();
                logWriter.close();
                throw new IOException("the server did not start (exit " + (p.isAlive() ? "none" : p.exitValue())
                        + "); its output is in " + log);
            }
            Matcher m = PASSWORD.matcher(line);
            if (m.find()) {
                password = m.group(1);
                line = line.replace(password, "<one-time password>");   // never into a log file
            }
            logWriter.write(line + "\n");
            if ((m = URL.matcher(line)).find()) {
                url = m.group(1);
            }
            if ((m = FINGERPRINT.matcher(line)).find()) {
                fingerprint = m.group(1);
            }
        }
        logWriter.flush();
        Thread drain = new Thread(() -> {
            try (logWriter; out) {
                String line;
                while ((line = out.readLine()) != null) {
                    logWriter.write(line + "\n");
                    logWriter.flush();
                }
            } catch (IOException ignored) {
                // the server stopped
            }
        }, "server-output");
        drain.setDaemon(true);
        drain.start();
        String u = url;
        String f = fingerprint;
        String pw = password;
        return new ServerHandle() {
            @Override
            public String url() {
                return u;
            }

            @Override
            public String fingerprint() {
                return f;
            }

            @Override
            public String oneTimePassword() {
                return pw;
            }

            @Override
            public long pid() {
                return p.pid();
            }

            @Override
            public void close() {
                p.destroy();    // SIGTERM: the shutdown hook commits what is queued and closes the stores
                try {
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        };
    }

    /** Starts a server in this JVM on a free loopback port. */
    static ServerHandle embedded(Path dataDir) throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AuditServer server = AuditServer.start(new ServerConfig(dataDir, new InetSocketAddress("127.0.0.1", 0), null,
                null, List.of(), null, Duration.ofSeconds(10)), new PrintStream(printed, true,
                StandardCharsets.UTF_8));
        Matcher m = PASSWORD.matcher(printed.toString(StandardCharsets.UTF_8));
        String password = m.find() ? m.group(1) : null;
        return new ServerHandle() {
            @Override
            public String url() {
                return server.url();
            }

            @Override
            public String fingerprint() {
                return server.fingerprint();
            }

            @Override
            public String oneTimePassword() {
                return password;
            }

            @Override
            public long pid() {
                return -1;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
