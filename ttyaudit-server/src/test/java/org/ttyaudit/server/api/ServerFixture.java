package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.ServerConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real server in this JVM on a free loopback port with its own data directory, and a client that trusts
 * exactly its self-signed certificate. Helpers log users in and enroll hosts through the API itself. Public for
 * other modules' tests (the gateway's access source runs against it); settings go in {@code DATA/server.yaml}
 * before the start.
 */
public final class ServerFixture implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String ADMIN_PASSWORD = "correct horse battery staple";

    public final Path dataDir;
    public final AuditServer server;
    final String oneTimePassword;
    final HttpClient http;
    public final String base;

    public ServerFixture(Path dataDir) throws Exception {
        this(dataDir, org.ttyaudit.server.web.WebAssets.DEFAULT_ROOT);
    }

    /** A server whose web UI is the classpath folder {@code webRoot} (tests bring their own small UI). */
    ServerFixture(Path dataDir, String webRoot) throws Exception {
        this.dataDir = dataDir;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        server = AuditServer.start(new ServerConfig(dataDir, new InetSocketAddress("127.0.0.1", 0), null, null,
                List.of(), null, Duration.ofMillis(200), webRoot), new PrintStream(printed, true,
                StandardCharsets.UTF_8));
        Matcher m = Pattern.compile("one-time password (\\S+)").matcher(printed.toString(StandardCharsets.UTF_8));
        oneTimePassword = m.find() ? m.group(1) : null;
        base = server.url();
        http = HttpClient.newBuilder().sslContext(trusting(dataDir.resolve("tls/cert.pem")))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Waits until the output of everything ingested so far is searchable (it is indexed in the background). */
    void awaitOutputIndexed() {
        server.awaitOutputIndexed(Duration.ofSeconds(30));
    }

    /** Logs the bootstrap admin in, sets its password, and returns an admin login token. */
    public String admin() throws Exception {
        String first = login("admin", oneTimePassword);
        Response r = post("/api/v1/password", first, Map.of("current_password", oneTimePassword,
                "new_password", ADMIN_PASSWORD));
        if (r.status != 204) {
            throw new AssertionError("password change failed: " + r);
        }
        return login("admin", ADMIN_PASSWORD);
    }

    public String login(String name, String password) throws Exception {
        Response r = post("/api/v1/login", null, Map.of("name", name, "password", password));
        if (r.status != 200) {
            throw new AssertionError("login of " + name + " failed: " + r);
        }
        return r.json().get("token").asText();
    }

    /** Creates a user with a set password (logged in once to clear the must-change flag); returns a token. */
    public String user(String adminToken, String name, String role) throws Exception {
        String initial = "initial-password-" + name;
        Response r = post("/api/v1/users", adminToken, Map.of("name", name, "role", role, "password", initial));
        if (r.status != 201) {
            throw new AssertionError("creating " + name + " failed: " + r);
        }
        String t = login(name, initial);
        String chosen = "chosen-password-" + name;
        if (post("/api/v1/password", t, Map.of("current_password", initial, "new_password", chosen)).status != 204) {
            throw new AssertionError("password change of " + name + " failed");
        }
        return login(name, chosen);
    }

    /** Enrolls a host and returns its credential. */
    public String host(String adminToken, String name) throws Exception {
        Response t = post("/api/v1/enrollment-tokens", adminToken, Map.of("ttl_hours", 1));
        Response e = post("/api/v1/enroll", null, Map.of("token", t.json().get("token").asText(), "host", name));
        if (e.status != 201) {
            throw new AssertionError("enrolling " + name + " failed: " + e);
        }
        return e.json().get("credential").asText();
    }

    public Response get(String path, String token) throws Exception {
        return send(request(path, token).GET().build());
    }

    public Response post(String path, String token, Object json) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json))).build());
    }

    Response postBytes(String path, String token, String contentType, byte[] body) throws Exception {
        return send(request(path, token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public Response method(String method, String path, String token, Object json) throws Exception {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json));
        return send(request(path, token).header("Content-Type", "application/json").method(method, body).build());
    }

    public Response ingest(String credential, java.util.UUID session, byte[] frames) throws Exception {
        return postBytes("/api/v1/ingest/sessions/" + session, credential, IngestRoutes.CONTENT_TYPE, frames);
    }

    /**
     * Sends the whole session (header, chunks, end) as its host would, expects it accepted, and waits until the
     * rules have seen it.
     */
    public void ingestWhole(String credential, org.ttyaudit.server.testkit.RecordedSession s) throws Exception {
        Response r = ingest(credential, s.id(), org.ttyaudit.server.testkit.RecordedSession.concat(s.headerFrame(),
                org.ttyaudit.server.testkit.RecordedSession.frames(s.chunks.toArray(new org.ttyaudit.core.format
                        .Chunk[0])), org.ttyaudit.server.testkit.RecordedSession.endFrame(s.end())));
        if (r.status() != 200) {
            throw new AssertionError("ingest of " + s.id() + ": " + r);
        }
        server.awaitRulesEvaluated(Duration.ofSeconds(30));
    }

    /** A request to send with {@link #send(HttpRequest)}, e.g. with headers the helpers above do not set. */
    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    @Override
    public void close() {
        server.close();
    }

    public record Response(int status, byte[] body, java.net.http.HttpHeaders headers) {
        Response(int status, byte[] body) {
            this(status, body, java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true));
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    static SSLContext trusting(Path certPem) throws Exception {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certPem)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
