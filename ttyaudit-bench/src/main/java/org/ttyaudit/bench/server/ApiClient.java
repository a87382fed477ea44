package org.ttyaudit.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.core.transport.PinnedTls;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's HTTP API as the load generator uses it: one {@link HttpClient} (HTTP/1.1, keep-alive, the server's
 * certificate pinned by fingerprint) whose connections are shared by every simulated session, with a small fixed
 * pool of threads for its I/O and callbacks, so that a thousand sessions do not need a thousand threads.
 *
 * <p>Thread-safe.
 */
final class ApiClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FRAMES = "application/vnd.ttyaudit.frames";

    private final String base;
    private final HttpClient http;
    private final ExecutorService executor;

    ApiClient(String baseUrl, String fingerprint, int threads) {
        this.base = baseUrl;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "http-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = PinnedTls.of(fingerprint).configure(HttpClient.newBuilder())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(executor)
                .build();
    }

    /**
     * Logs the bootstrap admin in. With a one-time password (a fresh data directory) it sets a random password and
     * keeps it in {@code passwordFile} (mode 0600) for later runs on the same directory; without one it reads that
     * file. Returns a login token.
     */
    String admin(String oneTimePassword, Path passwordFile) throws IOException, InterruptedException {
        if (oneTimePassword == null) {
            if (!Files.exists(passwordFile)) {
                throw new IOException("the server's admin exists, but " + passwordFile + " (its password, kept by an"
                        + " earlier run) does not; start on a new data directory");
            }
            return login("admin", Files.readString(passwordFile).trim());
        }
        String first = login("admin", oneTimePassword);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String chosen = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        expect(204, post("/api/v1/password", first, Map.of("current_password", oneTimePassword,
                "new_password", chosen)), "changing the admin's password");
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rw-------")));
        Files.writeString(passwordFile, chosen);
        return login("admin", chosen);
    }

    String login(String name, String password) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = post("/api/v1/login", null, Map.of("name", name, "password", password));
        return json(expect(200, r, "logging in as " + name)).get("token").asText();
    }

    /** Enrolls a host named {@code name} with a new enrollment token; returns its credential. */
    String enrollHost(String adminToken, String name) throws IOException, InterruptedException {
        HttpResponse<byte[]> t = post("/api/v1/enrollment-tokens", adminToken, Map.of("ttl_hours", 1));
        String token = json(expect(201, t, "making an enrollment token")).get("token").asText();
        HttpResponse<byte[]> e = post("/api/v1/enroll", null, Map.of("token", token, "host", name));
        return json(expect(201, e, "enrolling " + name)).get("credential").asText();
    }

    /** Sends frames for a session; completes with the answer (any status), or exceptionally when none came. */
    CompletableFuture<HttpResponse<byte[]>> ingest(String credential, UUID session, byte[] frames) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/v1/ingest/sessions/" + session))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", FRAMES)
                .POST(HttpRequest.BodyPublishers.ofByteArray(frames)).build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The session's commit point as the server holds it ({@code GET /api/v1/ingest/sessions/{id}}). */
    JsonNode commitPoint(String credential, UUID session) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(request("/api/v1/ingest/sessions/" + session, credential).GET().build());
        return json(expect(200, r, "reading the commit point of session " + session));
    }

    /** The server's Prometheus metrics ({@code GET /metrics}) as text. */
    String metrics() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(request("/metrics", null).GET().build());
        return new String(expect(200, r, "reading /metrics").body(), StandardCharsets.UTF_8);
    }

    /**
     * Sends a GET, and once more when it fails without an answer: after a run most of the client's pooled
     * connections have been idle past the server's idle timeout, and the JDK's client may pick one the server has
     * just closed ("header parser received no bytes"; seen at the end of a 300 s run).
     */
    private HttpResponse<byte[]> get(HttpRequest get) throws IOException, InterruptedException {
        try {
            return http.send(get, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException closedUnderUs) {
            return http.send(get, HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    /** {@code GET /api/v1/search} with the given query parameters (values URL-encoded here). */
    HttpResponse<byte[]> search(String token, Map<String, String> params) throws IOException, InterruptedException {
        StringBuilder q = new StringBuilder("/api/v1/search?");
        params.forEach((k, v) -> q.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                .append('&'));
        return http.send(request(q.substring(0, q.length() - 1), token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> post(String path, String token, Object body) throws IOException, InterruptedException {
        return http.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    static HttpResponse<byte[]> expect(int status, HttpResponse<byte[]> r, String what) throws IOException {
        if (r.statusCode() != status) {
            throw new IOException(what + " failed: HTTP " + r.statusCode() + " "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r;
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
