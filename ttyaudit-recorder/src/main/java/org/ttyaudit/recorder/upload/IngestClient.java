package org.ttyaudit.recorder.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.gateway.SshKeyFormatException;
import org.ttyaudit.core.gateway.SshPublicKey;
import org.ttyaudit.core.json.JsonTrees;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.policy.CapturePolicies;
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
import java.util.function.Function;

/**
 * The client side of the ingest protocol (docs/INGEST.md): ask a session's commit point, post frames, enroll a
 * host; and what a gateway asks with the same credential (its policy, users' SSH keys). Maps the server's
 * answers to results and {@link IngestException}s per the protocol's status table.
 *
 * <p>Every request has a connect and a request timeout. TLS is {@link PinnedTls}: the pinned certificate when the
 * credential names a fingerprint, else the system's CAs with hostname verification; one pin for every server.
 *
 * <p>With several servers in the credential, requests go to the one a {@link ServerRotation} names. When it
 * cannot be reached, times out or answers 502/503/504, the rotation moves on: a request that only reads (GET) is
 * retried at once on the next server, until one answers or all have failed; a POST is not resent by the client
 * (whether the failed one was stored is known only from the commit point), but its {@link IngestException} says
 * {@link IngestException#retryAtOnce()} when there is another server to resume with at once.
 *
 * <p>Thread-safe (one {@link HttpClient} underneath); requests block the calling thread and are interruptible.
 */
public final class IngestClient {
    public static final String FRAMES_MEDIA_TYPE = "application/vnd.ttyaudit.frames";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);


    private final ServerRotation rotation;
    private final String authorization;
    private final HttpClient http;
    private final Duration requestTimeout;

    public IngestClient(HostCredential credential) {
        this(credential, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    public IngestClient(HostCredential credential, Duration connectTimeout, Duration requestTimeout) {
        this(credential, connectTimeout, requestTimeout, new ServerRotation(credential.servers()));
    }

    /** A client whose switches between servers {@code rotation} decides and logs (over the credential's servers). */
    public IngestClient(HostCredential credential, ServerRotation rotation) {
        this(credential, CONNECT_TIMEOUT, REQUEST_TIMEOUT, rotation);
    }

    public IngestClient(HostCredential credential, Duration connectTimeout, Duration requestTimeout,
                        ServerRotation rotation) {
        if (!rotation.servers().equals(credential.servers())) {
            throw new IllegalArgumentException("the rotation is not over the credential's servers");
        }
        this.rotation = rotation;
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

    /** The server in use: the one that answered last (or the preferred one before any request). */
    public URI server() {
        return rotation.inUse();
    }

    /** Every server of the credential, preferred first. */
    public List<URI> servers() {
        return rotation.servers();
    }

    /**
     * {@code GET /api/v1/ingest/sessions/{id}}: the commit point, or empty when the server has nothing of the
     * session (404).
     */
    public Optional<CommitPoint> commitPoint(SessionId id) throws IngestException, InterruptedException {
        String doing = "asking for the commit point of session " + id;
        Answer a = read(base -> request(sessionUri(base, id)).GET().build(), doing);
        if (a.res.statusCode() == 404) {
            return Optional.empty();
        }
        if (a.res.statusCode() == 200) {
            return Optional.of(commitPointIn(a.res, null));
        }
        throw failure(a.res, a.server, doing);
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
        String query = "/api/v1/ingest/capture-policy?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&groups=" + URLEncoder.encode(String.join(",", groups), StandardCharsets.UTF_8);
        String doing = "asking for the capture policy";
        Answer a = read(base -> request(URI.create(base + query)).GET().build(), doing);
        HttpResponse<byte[]> res = a.res;
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        if (res.statusCode() != 200) {
            throw failure(res, a.server, doing);
        }
        try {
            return Optional.of(CapturePolicy.fromJson(json(res)));
        } catch (IllegalArgumentException e) {
            throw new IngestException(a.server + " answered the capture policy with something that is not one: "
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
        return getSettings("/api/v1/ingest/gateway/policy", "the gateway policy", GatewayPolicy::fromJson);
    }

    /**
     * {@code GET /api/v1/ingest/gateway/capture-policies}: the server's capture policies, for a gateway to resolve
     * the policy of each session it relays for its target (docs/CAPTURE.md).
     *
     * @throws IngestException when the server cannot be reached, refuses, or answers something that is not
     *                         capture policies
     */
    public CapturePolicies gatewayCapturePolicies() throws IngestException, InterruptedException {
        return getSettings("/api/v1/ingest/gateway/capture-policies", "the capture policies",
                CapturePolicies::fromJson);
    }

    /**
     * A GET of part of the server's settings, read by {@code parse} (which throws IllegalArgumentException for
     * what is not {@code what}).
     */
    private <T> T getSettings(String path, String what, Function<JsonNode, T> parse)
            throws IngestException, InterruptedException {
        String doing = "asking for " + what;
        Answer a = read(base -> request(URI.create(base + path)).GET().build(), doing);
        HttpResponse<byte[]> res = a.res;
        if (res.statusCode() != 200) {
            throw failure(res, a.server, doing);
        }
        try {
            return parse.apply(json(res));
        } catch (IllegalArgumentException e) {
            throw new IngestException(a.server + " answered " + what + " with something else: " + e.getMessage(),
                    200, false, null);
        }
    }

    /**
     * {@code GET /api/v1/ingest/gateway/keys?user=USER}: the SSH public keys registered for a gateway user (none
     * for an unknown or disabled user). A key the server sends that does not parse is left out.
     *
     * @throws IngestException when the server cannot be reached, refuses, or answers something that is not a list
     */
    public List<SshPublicKey> gatewayKeys(String user) throws IngestException, InterruptedException {
        String query = "/api/v1/ingest/gateway/keys?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        String doing = "asking for the SSH keys of " + user;
        Answer a = read(base -> request(URI.create(base + query)).GET().build(), doing);
        HttpResponse<byte[]> res = a.res;
        if (res.statusCode() != 200) {
            throw failure(res, a.server, doing);
        }
        JsonNode list = json(res);
        if (list == null || !list.isArray()) {
            throw new IngestException(a.server + " answered the SSH keys of " + user + " with something that is not"
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
     * <p>Sent once, to the current server: when it fails in a way another server may not (no answer, 502/503/504),
     * the client moves to the next server and the exception says whether to {@linkplain
     * IngestException#retryAtOnce() retry at once}; the caller asks the commit point there before it sends again.
     *
     * @throws IngestException permanent for a 4xx other than 409, transient for a 5xx or no answer
     */
    public PostOutcome post(SessionId id, byte[] frames) throws IngestException, InterruptedException {
        String doing = "sending " + frames.length + " bytes of session " + id;
        URI server = rotation.current();
        HttpRequest req = request(sessionUri(server, id)).header("Content-Type", FRAMES_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(frames)).build();
        HttpResponse<byte[]> res;
        try {
            res = send(http, req, server);
        } catch (IngestException e) {
            throw e.retryingAtOnce(rotation.failed(server, e.reason()));
        }
        if (isFailover(res.statusCode())) {
            IngestException e = failure(res, server, doing);
            throw e.retryingAtOnce(rotation.failed(server, e.reason()));
        }
        rotation.succeeded(server);
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
        throw failure(res, server, doing);
    }

    /**
     * {@code POST /api/v1/enroll}: trades a single-use enrollment token for the host's credential.
     *
     * @throws IngestException with status 401 when the token is used, expired or unknown; a TLS failure names
     *                         the fingerprints
     */
    public static Enrollment enroll(URI server, PinnedTls tls, String token, String host)
            throws IngestException, InterruptedException {
        return enroll(List.of(server), tls, token, host);
    }

    /**
     * {@code POST /api/v1/enroll} to the first of {@code servers} that answers: the instances of a fleet share
     * the enrollment tokens, so any of them can trade one. The next server is tried only when one cannot be
     * reached or answers 502/503/504 (nothing was traded there); any other answer is final.
     *
     * @throws IngestException as {@link #enroll(URI, PinnedTls, String, String)}; when no server answered, the
     *                         message names each one's failure
     */
    public static Enrollment enroll(List<URI> servers, PinnedTls tls, String token, String host)
            throws IngestException, InterruptedException {
        List<URI> bases = HostCredential.checkServers(servers);
        HttpClient http = httpClient(tls, CONNECT_TIMEOUT);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("token", token);
        body.put("host", host);
        List<IngestException> failures = new ArrayList<>();
        for (URI base : bases) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/enroll")).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            HttpResponse<byte[]> res;
            try {
                res = send(http, req, base);
            } catch (IngestException e) {
                failures.add(e);
                continue;
            }
            if (isFailover(res.statusCode())) {
                failures.add(failure(res, base, "enrolling"));
                continue;
            }
            return enrolled(res, base, host);
        }
        throw allFailed(failures);
    }

    private static Enrollment enrolled(HttpResponse<byte[]> res, URI base, String host) throws IngestException {
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

    /** A request and the server that answered it. */
    private record Answer(URI server, HttpResponse<byte[]> res) {
    }

    /**
     * Sends a request that only reads (safe to repeat) to the current server, and on to the next ones while they
     * fail in a way another server may not; the first answer other than 502/503/504.
     *
     * @throws IngestException when every server failed in this pass (naming each failure); transient
     */
    private Answer read(java.util.function.Function<URI, HttpRequest> request, String doing)
            throws IngestException, InterruptedException {
        List<IngestException> failures = new ArrayList<>();
        while (true) {
            URI server = rotation.current();
            IngestException failure;
            try {
                HttpResponse<byte[]> res = send(http, request.apply(server), server);
                if (!isFailover(res.statusCode())) {
                    rotation.succeeded(server);
                    return new Answer(server, res);
                }
                failure = failure(res, server, doing);
            } catch (IngestException e) {
                failure = e;
            }
            failures.add(failure);
            if (!rotation.failed(server, failure.reason()) || failures.size() >= 2 * rotation.servers().size()) {
                throw allFailed(failures);
            }
        }
    }

    /** The one failure, or one naming each server's failure. */
    private static IngestException allFailed(List<IngestException> failures) {
        IngestException last = failures.get(failures.size() - 1);
        if (failures.size() == 1) {
            return last;
        }
        return last.withMessage("no server answered: " + String.join("; ", failures.stream()
                .map(Throwable::getMessage).toList()));
    }

    /** Answers after which another server may do better: a proxy or load balancer with no instance behind it. */
    private static boolean isFailover(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    private static URI sessionUri(URI server, SessionId id) {
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
            throw noAnswer("cannot reach " + server + ": ", "no connection within the timeout", e);
        } catch (HttpTimeoutException e) {
            throw new IngestException("no answer from " + server + " within the timeout", "no answer within the "
                    + "timeout", IngestException.NO_ANSWER, false, e, false);
        } catch (ConnectException e) {
            throw noAnswer("cannot reach " + server + ": ", connectReason(e), e);
        } catch (IOException e) {
            Optional<String> tls = PinnedTls.describeFailure(e);
            if (tls.isPresent()) {
                throw noAnswer("cannot connect securely to " + server + ": ", tls.get(), e);
            }
            throw noAnswer(server + " ", "the connection failed: " + describe(e), e);
        } catch (UnresolvedAddressException e) {
            throw noAnswer("cannot reach " + server + ": ", "unknown host", e);
        }
    }

    private static IngestException noAnswer(String prefix, String reason, Throwable cause) {
        return new IngestException(prefix + reason, reason, IngestException.NO_ANSWER, false, cause, false);
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

    /** 4xx: permanent; 5xx and anything unexpected below 400: transient. */
    private static IngestException failure(HttpResponse<byte[]> res, URI server, String doing) {
        int status = res.statusCode();
        boolean permanent = status >= 400 && status < 500;
        String why = errorText(res);
        return new IngestException(server + " answered " + status + " " + doing + ": " + why, "answered " + status
                + " (" + why + ")", status, permanent, null, false);
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
            // No ObjectMapper: the capture policy is read this way before every uploading session starts.
            return res.body() == null || res.body().length == 0 ? null : JsonTrees.read(res.body());
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
