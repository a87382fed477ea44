package org.ttyaudit.bench.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GatewayProcess} started as a child JVM with this JVM's class path: its port, host key, identity line
 * and process id (for jstat/jcmd and /proc). Its further output goes to {@code gateway.log} in the work directory.
 */
final class GatewayChild implements AutoCloseable {
    final int port;
    final String hostKeyLine;
    final String identityLine;
    private final Process process;

    private GatewayChild(Process process, int port, String hostKeyLine, String identityLine) {
        this.process = process;
        this.port = port;
        this.hostKeyLine = hostKeyLine;
        this.identityLine = identityLine;
    }

    /** @param capture {@code full} or {@code built-in} ({@link GatewayProcess}) */
    static GatewayChild start(Path work, int targetPort, String remoteUser, String userKeyLine, String capture,
                              List<String> jvm) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayProcess.class.getName(),
                work.resolve("gw").toString(), Integer.toString(targetPort), remoteUser, userKeyLine, capture));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer log = Files.newBufferedWriter(work.resolve("gateway.log"));
        int port = -1;
        String hostKey = null;
        String identity = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (identity == null) {
            String line = out.readLine();
            if (line == null || System.nanoTime() > deadline) {
                p.destroyForcibly();
                log.close();
                throw new IOException("the gateway did not start; its output is in " + work.resolve("gateway.log"));
            }
            log.write(line + "\n");
            if (line.startsWith("gateway-port ")) {
                port = Integer.parseInt(line.substring(13).trim());
            } else if (line.startsWith("gateway-host-key ")) {
                hostKey = line.substring(17).trim();
            } else if (line.startsWith("gateway-identity ")) {
                identity = line.substring(17).trim();
            }
        }
        log.flush();
        Thread drain = new Thread(() -> {
            try (log; out) {
                String line;
                while ((line = out.readLine()) != null) {
                    log.write(line + "\n");
                    log.flush();
                }
            } catch (IOException ignored) {
                // the gateway stopped
            }
        }, "gateway-output");
        drain.setDaemon(true);
        drain.start();
        return new GatewayChild(p, port, hostKey, identity);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
