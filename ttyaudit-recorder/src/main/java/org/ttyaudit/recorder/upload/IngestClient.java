package org.ttyaudit.recorder.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.gateway.SshKeyFormatException;
import org.ttyaudit.core.gateway.SshPublicKey;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.core.transport.PinnedTls;
import org.ttyaudit.recorder.pty.BackgroundThreads;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The client side of the ingest protocol (docs/INGEST.md): ask a session's commit point, post frames, enroll a
 * host; and what a gateway asks with the same credential (its policy, users' SSH keys). Maps the server's
 * answers to results and {@link IngestException}s per the protocol's status table.
 *
 * <p>Every request has a connect and a request timeout. TLS is {@link PinnedTls}: the pinned certificate when the
 * credential names a fingerprint, else the system's CAs with hostname verification.
 *
 * <p>Thread-safe (one {@link HttpClient} underneath); requests block the calling thread and are interruptible.
 */
public final class IngestClient {
    public static final String FRAMES_MEDIA_TYPE = "application/vnd.ttyaudit.frames";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI server;
    private final String authorization;
    private final HttpClient http;
    private final Duration requestTimeout;

    public IngestClient(HostCredential credential) {
        this(credential, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    public IngestClient(HostCredential credential, Duration connectTimeout, Duration requestTimeout) {
        this.server = credential.server();
        this.authorization = "Bearer " + credential.credential();
        this.http = httpClient(PinnedTls.of(credential.fingerprint()), connectTimeout);
        this.requestTimeout = requestTimeout;
    }

    /** The answer to a POST of frames that the uploader acts on. */
    public sealed interface PostOutcome permits Committed, Conflict {
    }

    /** 200: every frame is stored; the new commit point. */
    public record Committed(CommitPoint commit) implements PostOutcome {
    }

    /** 409: the first chunk was not {@code committed_seq + 1}; resume from this commit point. */
    public record Conflict(CommitPoint commit, String error) implements PostOutcome {
    }

    /** A successful enrollment: what goes into the host credential file (with the server and fingerprint). */
    public record Enrollment(String hostId, String host, String credential) {
        @Override
        public String toString() {
            return "Enrollment[hostId=" + hostId + ", host=" + host + ", credential=(hidden)]";
        }
    }

    public URI server() {
        return server;
    }

    /**
     * {@code GET /api/v1/ingest/sessions/{id}}: the commit point, or empty when the server has nothing of the
     * session (404).
     */
    public Optional<CommitPoint> commitPoint(SessionId id) throws IngestException, InterruptedException {
        HttpRequest req = request(sessionUri(id)).GET().build();
        HttpResponse<byte[]> res = send(http, req, server);
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        if (res.statusCode() == 200) {
            return Optional.of(commitPointIn(res, null));
        }
        throw failure(res, "asking for the commit point of session " + id);
    }

    /**
     * {@code GET /api/v1/ingest/capture-policy}: the capture policy the server decides for a session of
     * {@code user}, a member of {@code groups}, on this host (the server knows the host by its credential).
     *
     * @return empty when the server has no such endpoint (404: a server older than capture policies)
     * @throws IngestException when the server cannot be reached or answers anything else (the message says what)
     */
    public Optional<CapturePolicy> capturePolicy(String user, List<String> groups)
            throws IngestException, InterruptedException {
        URI uri = URI.create(server + "/api/v1/ingest/capture-policy?user=" + URLEncoder.encode(user,
                StandardCharsets.UTF_8) + "&groups=" + URLEncoder.encode(String.join(",", groups),
                StandardCharsets.UTF_8));
        HttpResponse<byte[]> res = send(http, request(uri).GET().build(), server);
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        if (res.statusCode() != 200) {
            throw failure(res, "asking for the capture policy");
        }
        try {
            return Optional.of(CapturePolicy.fromJson(json(res)));
        } catch (IllegalArgumentException e) {
            throw new IngestException(server + " answered the capture policy with something that is not one: "
                    + e.getMessage(), 200, false, null);
        }
    }

    /**
     * {@code GET /api/v1/ingest/gateway/policy}: who may reach which target through a gateway (docs/GATEWAY.md).
     *
     * @throws IngestException when the server cannot be reached, refuses (403: the credential is not allowed to
     *                         read it), or answers something that is not a policy
     */
    public GatewayPolicy gatewayPolicy() throws IngestException, InterruptedException {
        HttpResponse<byte[]> res = send(http, request(URI.create(server + "/api/v1/ingest/gateway/policy")).GET()
                .build(), server);
        if (res.statusCode() != 200) {
            throw failure(res, "asking for the gateway policy");
        }
        try {
            return GatewayPolicy.fromJson(json(res));
        } catch (IllegalArgumentException e) {
            throw new IngestException(server + " answered the gateway policy with something that is not one: "
                    + e.getMessage(), 200, false, null);
        }
    }

    /**
     * {@code GET /api/v1/ingest/gateway/keys?user=USER}: the SSH public keys registered for a gateway user (none
     * for an unknown or disabled user). A key the server sends that does not parse is left out.
     *
     * @throws IngestException when the server cannot be reached, refuses, or answers something that is not a list
     */
    public List<SshPublicKey> gatewayKeys(String user) throws IngestException, InterruptedException {
        URI uri = URI.create(server + "/api/v1/ingest/gateway/keys?user=" + URLEncoder.encode(user,
                StandardCharsets.UTF_8));
        HttpResponse<byte[]> res = send(http, request(uri).GET().build(), server);
        if (res.statusCode() != 200) {
            throw failure(res, "asking for the SSH keys of " + user);
        }
        JsonNode list = json(res);
        if (list == null || !list.isArray()) {
            throw new IngestException(server + " answered the SSH keys of " + user + " with something that is not"
                    + " a list", 200, false, null);
        }
        List<SshPublicKey> keys = new ArrayList<>();
        for (JsonNode k : list) {
            try {
                keys.add(SshPublicKey.parse(textOrNull(k.get("public_key"))));
            } catch (SshKeyFormatException e) {
                // an unusable entry authenticates nobody; the others still count
            }
        }
        return keys;
    }

    /**
     * {@code POST /api/v1/ingest/sessions/{id}} with {@code frames} (one or more whole frames, as in the record
     * file).
     *
     * @throws IngestException permanent for a 4xx other than 409, transient for a 5xx or no answer
     */
    public PostOutcome post(SessionId id, byte[] frames) throws IngestException, InterruptedException {
        HttpRequest req = request(sessionUri(id)).header("Content-Type", FRAMES_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(frames)).build();
        HttpResponse<byte[]> res = send(http, req, server);
        int status = res.statusCode();
        if (status == 200 || status == 201) {
            return new Committed(commitPointIn(res, null));
        }
        if (status == 409) {
            JsonNode body = json(res);
            JsonNode commit = body == null ? null : body.get("commit");
            if (commit == null || commit.isNull()) {
                // Without a commit point there is nothing to resume from but a fresh GET: retry.
                throw new IngestException(server + " answered 409 without a commit point: " + errorText(res),
                        409, false, null);
            }
            return new Conflict(commitPointIn(res, commit), errorText(res));
        }
        throw failure(res, "sending " + frames.length + " bytes of session " + id);
    }

    /**
     * {@code POST /api/v1/enroll}: trades a single-use enrollment token for the host's credential.
     *
     * @throws IngestException with status 401 when the token is used, expired or unknown; a TLS failure names
     *                         the fingerprints
     */
    public static Enrollment enroll(URI server, PinnedTls tls, String token, String host)
            throws IngestException, InterruptedException {
        URI base = HostCredential.checkServer(server);
        ObjectNode body = MAPPER.createObjectNode();
        body.put("token", token);
        body.put("host", host);
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/enroll")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<byte[]> res = send(httpClient(tls, CONNECT_TIMEOUT), req, base);
        if (res.statusCode() == 201 || res.statusCode() == 200) {
            JsonNode n = json(res);
            String hostId = n == null ? null : textOrNull(n.get("host_id"));
            String credential = n == null ? null : textOrNull(n.get("credential"));
            if (hostId == null || credential == null) {
                throw new IngestException(base + " answered the enrollment without host_id and credential", 
                        res.statusCode(), true, null);
            }
            String name = textOrNull(n.get("host"));
            return new Enrollment(hostId, name == null ? host : name, credential);
        }
        if (res.statusCode() == 401) {
            throw new IngestException(base + " refused the enrollment token (used, expired or unknown): "
                    + errorText(res), 401, true, null);
        }
        throw failure(res, base, "enrolling");
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    private URI sessionUri(SessionId id) {
        return URI.create(server + "/api/v1/ingest/sessions/" + id);
    }

    private static HttpClient httpClient(PinnedTls tls, Duration connectTimeout) {
        // HTTP/1.1: one request at a time per session, nothing to gain from HTTP/2's upgrade dance. The client's
        // work (TLS, body handling) runs on low-priority threads, like the recorder's other background work.
        return tls.configure(HttpClient.newBuilder()).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newCachedThreadPool(BackgroundThreads.named("ttyaudit-http")))
                .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static HttpResponse<byte[]> send(HttpClient http, HttpRequest req, URI server)
            throws IngestException, InterruptedException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new IngestException("cannot reach " + server + ": no connection within the timeout",
                    IngestException.NO_ANSWER, false, e);
        } catch (HttpTimeoutException e) {
            throw new IngestException("no answer from " + server + " within the timeout", IngestException.NO_ANSWER,
                    false, e);
        } catch (ConnectException e) {
            throw new IngestException("cannot reach " + server + ": " + connectReason(e), IngestException.NO_ANSWER,
                    false, e);
        } catch (IOException e) {
            Optional<String> tls = PinnedTls.describeFailure(e);
            String why = tls.orElse("the connection failed: " + describe(e));
            throw new IngestException((tls.isPresent() ? "cannot connect securely to " : "") + server
                    + (tls.isPresent() ? ": " : " ") + why, IngestException.NO_ANSWER, false, e);
        } catch (UnresolvedAddressException e) {
            throw new IngestException("cannot reach " + server + ": unknown host", IngestException.NO_ANSWER,
                    false, e);
        }
    }

    private static String connectReason(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return "connection refused"; // what HttpClient's ConnectException without a message means
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private IngestException failure(HttpResponse<byte[]> res, String doing) {
        return failure(res, server, doing);
    }

    /** 4xx: permanent; 5xx and anything unexpected below 400: transient. */
    private static IngestException failure(HttpResponse<byte[]> res, URI server, String doing) {
        int status = res.statusCode();
        boolean permanent = status >= 400 && status < 500;
        return new IngestException(server + " answered " + status + " " + doing + ": " + errorText(res), status,
                permanent, null);
    }

    private static CommitPoint commitPointIn(HttpResponse<byte[]> res, JsonNode node) throws IngestException {
        JsonNode n = node != null ? node : json(res);
        try {
            return CommitPoint.fromJson(n);
        } catch (IllegalArgumentException e) {
            // A server that answers nonsense is broken, perhaps only for now (a proxy's error page): transient.
            throw new IngestException(res.uri().getHost() + " answered " + res.statusCode()
                    + " without a valid commit point: " + e.getMessage(), res.statusCode(), false, null);
        }
    }

    private static JsonNode json(HttpResponse<byte[]> res) {
        try {
            return res.body() == null || res.body().length == 0 ? null : MAPPER.readTree(res.body());
        } catch (IOException e) {
            return null;
        }
    }

    /** The server's {@code error} line, or a short excerpt of a body that is not the protocol's JSON. */
    private static String errorText(HttpResponse<byte[]> res) {
        JsonNode n = json(res);
        if (n != null && n.isObject() && n.get("error") != null && n.get("error").isTextual()) {
            return oneLine(n.get("error").textValue());
        }
        byte[] body = res.body();
        if (body == null || body.length == 0) {
            return "(no error message)";
        }
        String text = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
        return "(not the protocol's error JSON) " + oneLine(text);
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\p{Cntrl}]+", " ").strip();
    }

    private static String textOrNull(JsonNode n) {
        return n == null || !n.isTextual() ? null : n.textValue();
    }
}
