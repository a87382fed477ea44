package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.cli.CliContext;
import org.ttyaudit.cli.Main;
import org.ttyaudit.core.transport.PinnedTls;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.ServerConfig;
import org.ttyaudit.server.testkit.RecordedSession;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real audit server in this JVM (free loopback port, own data directory, self-signed certificate) for the
 * CLI's remote commands, with a test-side HTTP client that pins its certificate and sets things up through the
 * API itself: the bootstrap admin, users, an enrolled host, and sessions ingested with its credential.
 */
public final class ServerUnderTest implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_PASSWORD = "admin password for the tests";

    final AuditServer server;
    final String url;
    final String fingerprint;
    final String oneTimePassword;
    private final HttpClient http;
    private String adminToken;

    ServerUnderTest(Path dataDir) throws Exception {
        this(dataDir, 0);
    }

    /** A server on {@code port} (0: any free port), e.g. to start it again where clients know it. */
    ServerUnderTest(Path dataDir, int port) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        server = AuditServer.start(new ServerConfig(dataDir, new InetSocketAddress("127.0.0.1", port), null, null,
                List.of(), null, Duration.ofSeconds(1)), new PrintStream(printed, true, StandardCharsets.UTF_8));
        String text = printed.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("one-time password (\\S+)").matcher(text);
        oneTimePassword = m.find() ? m.group(1) : null;
        Matcher f = Pattern.compile("fingerprint: (sha256:[0-9a-f]{64})").matcher(text);
        if (!f.find()) {
            throw new AssertionError("the server printed no fingerprint:\n" + text);
        }
        fingerprint = f.group(1);
        url = server.url();
        http = PinnedTls.of(fingerprint).configure(HttpClient.newBuilder()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A login token of the bootstrap admin (its one-time password is replaced on first use). */
    synchronized String admin() throws Exception {
        if (adminToken == null) {
            String first = login("admin", oneTimePassword);
            expect(204, post("/api/v1/password", first, Map.of("current_password", oneTimePassword,
                    "new_password", ADMIN_PASSWORD)));
            adminToken = login("admin", ADMIN_PASSWORD);
        }
        return adminToken;
    }

    String login(String name, String password) throws Exception {
        return expect(200, post("/api/v1/login", null, Map.of("name", name, "password", password)))
                .json().get("token").asText();
    }

    /** Creates a user who must change {@code initialPassword} at the first login. */
    void user(String name, String role, String initialPassword) throws Exception {
        expect(201, post("/api/v1/users", admin(), Map.of("name", name, "role", role, "password", initialPassword)));
    }

    /** An API token of the admin, as scripts would use through TTYAUDIT_TOKEN. */
    String adminApiToken() throws Exception {
        return expect(201, post("/api/v1/tokens", admin(), Map.of("name", "tests"))).json().get("token").asText();
    }

    /** Enrolls a host {@code name} and returns its credential as {@code ttyaudit enroll} would write it. */
    org.ttyaudit.recorder.upload.HostCredential enrollHost(String name) throws Exception {
        String enrollment = expect(201, post("/api/v1/enrollment-tokens", admin(), Map.of("ttl_hours", 1)))
                .json().get("token").asText();
        JsonNode answer = expect(201, post("/api/v1/enroll", null, Map.of("token", enrollment, "host", name))).json();
        return new org.ttyaudit.recorder.upload.HostCredential(URI.create(url), fingerprint,
                answer.get("host_id").asText(), answer.get("credential").asText());
    }

    /** Enrolls a host {@code name} and writes its credential to {@code file} as {@code ttyaudit enroll} does. */
    Path enrollHostInto(Path file, String name) throws Exception {
        org.ttyaudit.recorder.upload.HostCredentialFile.write(file, enrollHost(name));
        return file;
    }

    String host(String name) throws Exception {
        return enrollHost(name).credential();
    }

    /**
     * Sends the whole session (header, chunks, end) as its host would, and waits until its output is searchable
     * (the server indexes output in the background).
     */
    void ingest(String hostCredential, RecordedSession s) throws Exception {
        byte[] frames = RecordedSession.concat(s.headerFrame(), RecordedSession.frames(
                s.chunks.toArray(new org.ttyaudit.core.format.Chunk[0])), RecordedSession.endFrame(s.end()));
        expect(200, postFrames(hostCredential, s, frames));
        server.awaitOutputIndexed(Duration.ofSeconds(30));
    }

    /** POSTs {@code frames} of session {@code s} to the ingest endpoint as its host would; returns the answer. */
    Response postFrames(String hostCredential, RecordedSession s, byte[] frames) throws Exception {
        HttpRequest r = request("/api/v1/ingest/sessions/" + s.id(), hostCredential)
                .header("Content-Type", "application/vnd.ttyaudit.frames")
                .POST(HttpRequest.BodyPublishers.ofByteArray(frames)).build();
        return send(r);
    }

    Response get(String path, String token) throws Exception {
        return send(request(path, token).GET().build());
    }

    Response post(String path, String token, Object body) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(HttpRequest r) throws Exception {
        HttpResponse<byte[]> response = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.body());
    }

    private static Response expect(int status, Response r) {
        if (r.status() != status) {
            throw new AssertionError("expected " + status + ", got " + r);
        }
        return r;
    }

    /** The environment of a script that uses {@code token} through the TTYAUDIT_* variables. */
    Map<String, String> tokenEnvironment(Path home, String token) {
        Map<String, String> env = homeEnvironment(home);
        env.put("TTYAUDIT_SERVER", url);
        env.put("TTYAUDIT_FINGERPRINT", fingerprint);
        env.put("TTYAUDIT_TOKEN", token);
        return env;
    }

    /** A user's environment with HOME and XDG_CONFIG_HOME under {@code home}. */
    public static Map<String, String> homeEnvironment(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("USER", "nobody-in-particular");
        return env;
    }

    /** Runs {@code ttyaudit ARGS} in-process through {@link Main#run} with this environment and input. */
    public static Run cli(Map<String, String> env, String stdin, boolean terminal, Path tempDir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                null, () -> terminal, Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC),
                ZoneOffset.UTC, tempDir);
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), context);
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() {
        server.close();
    }

    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    record Response(int status, byte[] body) {
        JsonNode json() throws java.io.IOException {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + new String(body, StandardCharsets.UTF_8);
        }
    }
}
