package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.opensearch.common.settings.Settings;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node OpenSearch cluster (OpenSearch's own jars from Maven Central, test-scoped) in a child JVM:
 * its own heap ({@code -Xmx512m}), its own log4j and threads, and gone with {@link #close()} or when the test JVM
 * dies (the node exits when its standard input closes). HTTP on a free loopback port; no security plugin, so no
 * authentication. {@link #main} is the child's side.
 */
final class OpenSearchNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READY = "OPENSEARCH_HTTP ";

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    final String url;

    private OpenSearchNode(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts a node with its home in {@code home}; fails with the node's output if it does not say its HTTP
     * address within {@code timeout}.
     */
    static OpenSearchNode start(Path home, Duration timeout) throws IOException, InterruptedException {
        return start(home, timeout, Map.of());
    }

    /** {@link #start(Path, Duration)} with node {@code settings} of the test's ({@code http.max_content_length}). */
    static OpenSearchNode start(Path home, Duration timeout, Map<String, String> settings)
            throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xms256m", "-Xmx512m",
                "-XX:+UseSerialGC", "-Dopensearch.set.netty.runtime.available.processors=false",
                "-Dlog4j2.disable.jmx=true", "-cp", System.getProperty("java.class.path"),
                OpenSearchNode.class.getName(), home.toString()));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                    if (l.startsWith(READY)) {
                        ready.complete(l.substring(READY.length()).strip());
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.completeExceptionally(new IOException("the node exited (" + exitOf(p) + ")"));
        }, "opensearch-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String address = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            OpenSearchNode node = new OpenSearchNode(p, "http://" + address);
            synchronized (lines) {
                node.output.addAll(lines);
            }
            return node;
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            String tail;
            synchronized (lines) {
                tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            }
            throw new IOException("OpenSearch did not start within " + timeout + " ("
                    + (e instanceof TimeoutException ? "timeout" : e.getCause().getMessage()) + "); its output:\n"
                    + tail, e);
        }
    }

    private static String exitOf(Process p) {
        try {
            return "exit " + p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** {@code method path} with a JSON body (or none); the answer's status and JSON. */
    Answer call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        return new Answer(r.statusCode(), json);
    }

    record Answer(int status, JsonNode json) {
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---- the child JVM ------------------------------------------------------------------------------------------

    /** A node with plugins from the class path (no plugins directory), as OpenSearch's own MockNode does. */
    private static final class ClasspathNode extends Node {
        ClasspathNode(Settings settings, List<Class<? extends Plugin>> plugins) {
            super(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "ttyaudit-test"),
                    plugins, true);
        }
    }

    /**
     * Runs a node with home {@code args[0]} and the settings {@code KEY=VALUE} that follow, prints its HTTP address,
     * and stops when standard input closes.
     */
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Settings.Builder more = Settings.builder();
        for (String a : List.of(args).subList(1, args.length)) {
            more.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("cluster.name", "ttyaudit-test")
                .put("node.name", "node-1")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", "0")
                .put("transport.port", "0")
                .put("http.type", "netty4")
                .put("transport.type", "netty4")
                .put("node.processors", 1)
                // a nearly full disk of a developer's machine must not block the test's shards
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put(more.build())
                .build();
        Node node = new ClasspathNode(settings, List.of(Netty4Plugin.class));
        node.start();
        HttpServerTransport http = node.injector().getInstance(HttpServerTransport.class);
        System.out.println(READY + http.boundAddress().publishAddress());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our standard input (or dies)
        }
        node.close();
        System.exit(0);
    }
}
