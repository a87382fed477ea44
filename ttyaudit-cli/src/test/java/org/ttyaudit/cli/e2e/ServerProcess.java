package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.core.transport.PinnedTls;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code ttyaudit server} process on a fixed loopback port, which tests stop, kill -9 and start again on
 * the same data directory, and a small admin client for the API (pinned to the server's certificate).
 */
public final class ServerProcess implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final String ADMIN_PASSWORD = "e2e admin password";

    public final Path dataDir;
    public final int port;
    private final Path log;
    private Process process;
    private String oneTimePassword;
    private String fingerprint;
    private String adminToken;
    private int starts;

    public ServerProcess(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** Starts the server and waits until it listens. */
    public ServerProcess start() throws Exception {
        Path out = log.resolveSibling(log.getFileName() + "." + (++starts));
        process = new ProcessBuilder(TerminalSession.ttyauditCommand(List.of("server", "--data", dataDir.toString(),
                "--listen", "127.0.0.1:" + port))).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            if (text.contains("TLS certificate fingerprint: ")) {
                Matcher f = Pattern.compile("fingerprint: (sha256:[0-9a-f]{64})").matcher(text);
                if (f.find()) {
                    fingerprint = f.group(1);
                }
                Matcher p = Pattern.compile("one-time password (\\S+)").matcher(text);
                if (p.find()) {
                    oneTimePassword = p.group(1);
                }
                return this;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the server did not start:\n" + text);
            }
            Thread.sleep(50);
        }
    }

    /** SIGKILL: no shutdown hook, no last commit, nothing flushed that was not already durable. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: a clean stop. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    // ---- the admin's side of the API ----------------------------------------------------------------------

    /** Logs the bootstrap admin in (setting its password the first time) and keeps the token. */
    public String admin() throws Exception {
        if (adminToken == null) {
            String first = post("/api/v1/login", null, Map.of("name", "admin", "password", oneTimePassword))
                    .get("token").asText();
            post("/api/v1/password", first, Map.of("current_password", oneTimePassword, "new_password",
                    ADMIN_PASSWORD));
        }
        adminToken = post("/api/v1/login", null, Map.of("name", "admin", "password", ADMIN_PASSWORD))
                .get("token").asText();
        return adminToken;
    }

    public String enrollmentToken() throws Exception {
        return post("/api/v1/enrollment-tokens", admin(), Map.of("ttl_hours", 1)).get("token").asText();
    }

    /** Enrolls a host with the real {@code ttyaudit enroll}, pinning this server; its credential goes to the file. */
    public void enroll(Path credentialFile, String host) throws Exception {
        RecordFixture.CliResult enrolled = RecordFixture.cli("enroll", "--server", url(), "--token",
                enrollmentToken(), "--fingerprint", fingerprint(), "--credential-file", credentialFile.toString(),
                "--host", host);
        if (enrolled.exitCode() != 0) {
            throw new AssertionError("ttyaudit enroll failed: " + enrolled.err());
        }
    }

    /** Creates a user who must change {@code initialPassword} at the first login. */
    public void user(String name, String role, String initialPassword) throws Exception {
        post("/api/v1/users", admin(), Map.of("name", name, "role", role, "password", initialPassword));
    }

    /** The server's self-signed certificate (PEM), as clients pin it. */
    public Path certificate() {
        return dataDir.resolve(org.ttyaudit.server.tls.ServerCertificate.DIRECTORY)
                .resolve(org.ttyaudit.server.tls.ServerCertificate.CERT_FILE);
    }

    /** The id of the first session that reaches the server (waits up to 20 s). */
    public String awaitFirstSessionId() throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode items = getJson("/api/v1/sessions").get("items");
            if (items != null && items.size() > 0) {
                return items.get(0).get("id").asText();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the session never reached the server");
    }

    /**
     * Sends a whole session (header, chunks, end) as its recorder or the SSH gateway would, with the credential of
     * the host enrolled into {@code credentialFile}.
     */
    public void ingest(Path credentialFile, org.ttyaudit.server.testkit.RecordedSession s) throws Exception {
        String credential = org.ttyaudit.recorder.upload.HostCredentialFile.read(credentialFile).credential();
        org.ttyaudit.core.format.Chunk[] chunks = s.chunks.toArray(new org.ttyaudit.core.format.Chunk[0]);
        byte[] frames = org.ttyaudit.server.testkit.RecordedSession.concat(s.headerFrame(),
                org.ttyaudit.server.testkit.RecordedSession.frames(chunks),
                org.ttyaudit.server.testkit.RecordedSession.endFrame(s.end()));
        HttpResponse<byte[]> r = send(request("/api/v1/ingest/sessions/" + s.id(), credential)
                .header("Content-Type", "application/vnd.ttyaudit.frames")
                .POST(HttpRequest.BodyPublishers.ofByteArray(frames)).build());
        if (r.statusCode() != 200) {
            throw new AssertionError("ingest of " + s.id() + ": " + r.statusCode() + " "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    public JsonNode getJson(String path) throws Exception {
        HttpResponse<byte[]> r = send(request(path, adminToken).GET().build());
        return JSON.readTree(r.body());
    }

    byte[] getBytes(String path) throws Exception {
        HttpResponse<byte[]> r = send(request(path, adminToken).GET().build());
        if (r.statusCode() != 200) {
            throw new AssertionError(path + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body();
    }

    public JsonNode post(String path, String token, Object body) throws Exception {
        HttpResponse<byte[]> r = send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
        if (r.statusCode() >= 300) {
            throw new AssertionError(path + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        HttpClient client = PinnedTls.of(fingerprint).configure(HttpClient.newBuilder()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
