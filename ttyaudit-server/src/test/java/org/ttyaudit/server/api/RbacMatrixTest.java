package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.rules.RuleSet;
import org.ttyaudit.server.api.ServerFixture.Response;
import org.ttyaudit.server.testkit.RecordedSession;
import org.ttyaudit.server.testkit.TestSshKeys;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/**
 * Every endpoint of openapi.yaml × every kind of caller against one real server: who is allowed, who is refused
 * and how, written out as a table ({@link #MATRIX}) that is derived from docs/SECURITY.md by hand, not from
 * {@code AccessPolicy}. Then: list and search are filtered to what the caller may see, every read of a
 * recording's content is an audit event naming the actor, and refused requests leave no audit event at all.
 *
 * <p>The whole matrix runs once before the tests (one server, cheap requests); the tests check what it recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RbacMatrixTest {

    /** The callers, in the order of the table's columns. */
    enum Who {
        /** The bootstrap admin, logged in with a password (a {@code tts_} login session). */
        ADMIN,
        /** The same admin through an API token ({@code tta_}). */
        ADMIN_TOKEN,
        /** {@code audra}, role auditor. */
        AUDITOR,
        /** {@code alice}, role user: sessions were recorded under her name. */
        ALICE,
        /** {@code bob}, role user: sessions were recorded under his name too. */
        BOB,
        /** The enrolled host {@code web-1} that recorded the sessions ({@code tth_}). */
        HOST,
        /** No credential at all. */
        ANONYMOUS,
        /** {@code carol}, role admin, logged in with the one-time password an admin gave her, not yet changed. */
        MUST_CHANGE
    }

    /**
     * The expected status of each request, by caller. Rows about one session name whose session the request is
     * about ({@code alice}, {@code bob}, or an {@code unknown} id); rows about an API token name whose token it is
     * ({@code own}: one the caller made; {@code foreign}: erin's).
     *
     * <ul>
     *   <li>2xx: allowed and done. 400 on {@code /password}: allowed; the probe sends the current password as the
     *       new one, which is refused after the current password was checked, so nobody's sessions end.</li>
     *   <li>401: no credential. Only the open endpoints (health, metrics, the API document, log in, enroll)
     *       answer without one.</li>
     *   <li>403: authenticated but not allowed: the action is not theirs at all, or the login must change its
     *       one-time password first (which allows only /password, /me and /logout).</li>
     *   <li>404 on a session row: the caller may read sessions, but not this one: answered exactly like a session
     *       that does not exist ({@code no session <id>}), on purpose, so ids cannot be probed. Ending a session
     *       is not about seeing it: there, users get 403 whatever the id.</li>
     *   <li>404 on a {@code foreign} token: one can revoke only one's own API tokens, admins included.</li>
     * </ul>
     */
    static final String MATRIX = """
            # method path                               target    admin admin-token auditor alice bob host anonymous must-change
            GET    /healthz                             -         200   200   200   200   200   200   200   200
            GET    /metrics                             -         200   200   200   200   200   200   200   200
            GET    /api/v1/openapi.yaml                 -         200   200   200   200   200   200   200   200
            POST   /api/v1/login                        -         200   200   200   200   200   200   200   200
            POST   /api/v1/logout                       -         204   204   204   204   204   204   401   204
            GET    /api/v1/me                           -         200   200   200   200   200   200   401   200
            POST   /api/v1/password                     -         400   400   400   400   400   403   401   400
            GET    /api/v1/users                        -         200   200   403   403   403   403   401   403
            POST   /api/v1/users                        -         201   201   403   403   403   403   401   403
            PATCH  /api/v1/users/{name}                 -         200   200   403   403   403   403   401   403
            GET    /api/v1/users/{name}/tokens          -         200   200   403   403   403   403   401   403
            DELETE /api/v1/users/{name}/tokens/{tokenId} foreign  204   204   403   403   403   403   401   403
            GET    /api/v1/tokens                       -         200   200   200   200   200   403   401   403
            POST   /api/v1/tokens                       -         201   201   201   201   201   403   401   403
            DELETE /api/v1/tokens/{tokenId}             own       204   204   204   204   204   403   401   403
            DELETE /api/v1/tokens/{tokenId}             foreign   404   404   404   404   404   403   401   403
            GET    /api/v1/account/ssh-keys             -         200   200   200   200   200   403   401   403
            POST   /api/v1/account/ssh-keys             -         201   201   201   201   201   403   401   403
            DELETE /api/v1/account/ssh-keys/{fingerprint} own     204   204   204   204   204   403   401   403
            GET    /api/v1/users/{name}/ssh-keys        -         200   200   403   403   403   403   401   403
            POST   /api/v1/users/{name}/ssh-keys        -         201   201   403   403   403   403   401   403
            DELETE /api/v1/users/{name}/ssh-keys/{fingerprint} -  204   204   403   403   403   403   401   403
            GET    /api/v1/ingest/gateway/policy        -         200   200   403   403   403   200   401   403
            GET    /api/v1/ingest/gateway/keys          -         200   200   403   403   403   200   401   403
            GET    /api/v1/ingest/gateway/capture-policies -      200   200   403   403   403   200   401   403
            GET    /api/v1/enrollment-tokens            -         200   200   403   403   403   403   401   403
            POST   /api/v1/enrollment-tokens            -         201   201   403   403   403   403   401   403
            GET    /api/v1/hosts                        -         200   200   403   403   403   403   401   403
            POST   /api/v1/enroll                       -         201   201   201   201   201   201   201   201
            GET    /api/v1/ingest/sessions/{id}         alice     403   403   403   403   403   200   401   403
            GET    /api/v1/ingest/sessions/{id}         unknown   403   403   403   403   403   404   401   403
            POST   /api/v1/ingest/sessions/{id}         alice     403   403   403   403   403   200   401   403
            GET    /api/v1/ingest/capture-policy        -         403   403   403   403   403   200   401   403
            GET    /api/v1/sessions                     -         200   200   200   200   200   403   401   403
            GET    /api/v1/sessions/{id}                alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}                bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}                unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/sessions/{id}/commands       alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}/commands       bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}/commands       unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/sessions/{id}/events         alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}/events         bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}/events         unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/sessions/{id}/record         alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}/record         bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}/record         unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/sessions/{id}/export         alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}/export         bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}/export         unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/sessions/{id}/proofs         alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}/proofs         bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}/proofs         unknown   404   404   404   404   404   403   401   403
            POST   /api/v1/sessions/{id}/terminate      alice     202   202   403   403   403   403   401   403
            POST   /api/v1/sessions/{id}/terminate      bob       202   202   403   403   403   403   401   403
            POST   /api/v1/sessions/{id}/terminate      unknown   404   404   403   403   403   403   401   403
            GET    /api/v1/sessions/{id}/live           alice     101   101   101   101   404   403   401   403
            GET    /api/v1/sessions/{id}/live           bob       101   101   101   404   101   403   401   403
            GET    /api/v1/sessions/{id}/live           unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/sessions/{id}/activity       alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}/activity       bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}/activity       unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/sessions/{id}/integrity      alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}/integrity      bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}/integrity      unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/sessions/{id}/attachments    alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}/attachments    bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}/attachments    unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/search                       -         200   200   200   200   200   403   401   403
            GET    /api/v1/ledger/head                  -         200   200   200   200   200   403   401   403
            GET    /api/v1/ledger/key                   -         200   200   200   200   200   403   401   403
            GET    /api/v1/ledger/inclusion             -         200   200   200   200   200   403   401   403
            GET    /api/v1/ledger/consistency           -         200   200   200   200   200   403   401   403
            GET    /api/v1/ledger/leaves                -         200   200   200   200   200   403   401   403
            GET    /api/v1/audit                        -         200   200   200   403   403   403   401   403
            GET    /api/v1/forwarders                   -         200   200   200   403   403   403   401   403
            GET    /api/v1/alerts                       -         200   200   200   200   200   403   401   403
            GET    /api/v1/sessions/{id}/alerts         alice     200   200   200   200   404   403   401   403
            GET    /api/v1/sessions/{id}/alerts         bob       200   200   200   404   200   403   401   403
            GET    /api/v1/sessions/{id}/alerts         unknown   404   404   404   404   404   403   401   403
            GET    /api/v1/rules                        -         200   200   200   403   403   403   401   403
            POST   /api/v1/rules/reload                 -         200   200   403   403   403   403   401   403
            GET    /api/v1/holds                        -         200   200   200   403   403   403   401   403
            POST   /api/v1/holds                        -         201   201   403   403   403   403   401   403
            DELETE /api/v1/holds/{id}                   own       200   200   403   403   403   403   401   403
            GET    /api/v1/storage/stats                -         200   200   200   403   403   403   401   403
            """;

    private static final String SEARCH_WORD = "matrixword";
    private static final Set<String> CONTENT_READS = Set.of("session.view", "session.download", "session.export",
            "session.watch", "search", "alert.list");
    /** Detail fields whose values the test cannot know (fresh ids, the client address). */
    private static final Set<String> UNPREDICTABLE_DETAIL = Set.of("address", "token_id", "host_id", "hold");

    ServerFixture server;
    final Map<Who, String> credentials = new EnumMap<>(Who.class);
    /** Fresh login sessions, one per caller, for the logout row (logging out must not end the shared ones). */
    final Map<Who, String> toLogOut = new EnumMap<>(Who.class);
    /** An API token each caller that may have one made for the matrix to revoke. */
    final Map<Who, String> ownTokenIds = new EnumMap<>(Who.class);
    final Map<Who, String> enrollmentTokens = new EnumMap<>(Who.class);
    /** A legal hold (on the user {@code release-<who>}) for each caller's release probe. */
    final Map<Who, String> holdIds = new EnumMap<>(Who.class);
    final Map<String, UUID> sessions = new HashMap<>();
    String adminTokenId;
    String erinToken;
    String erinTokenId;
    /** A second token of erin's, for the admin's revocation of someone else's token. */
    String erinSpareTokenId;
    RecordedSession aliceLive;
    List<Row> rows;
    final List<Cell> cells = new ArrayList<>();
    long ledgerBefore;
    long ledgerAfter;
    long enrollmentTokensBefore;

    // ---- the run ----------------------------------------------------------------------------------------------

    @BeforeAll
    void runTheMatrix(@TempDir Path dir) throws Exception {
        server = new ServerFixture(dir.resolve("data"));
        String admin = server.admin();
        credentials.put(Who.ADMIN, admin);
        Response apiToken = server.post("/api/v1/tokens", admin, Map.of("name", "matrix"));
        credentials.put(Who.ADMIN_TOKEN, apiToken.json().get("token").asText());
        adminTokenId = apiToken.json().get("id").asText();
        credentials.put(Who.AUDITOR, server.user(admin, "audra", "auditor"));
        credentials.put(Who.ALICE, server.user(admin, "alice", "user"));
        credentials.put(Who.BOB, server.user(admin, "bob", "user"));
        String host = server.host(admin, "web-1");
        credentials.put(Who.HOST, host);
        assertThat(server.post("/api/v1/users", admin, Map.of("name", "carol", "role", "admin", "password",
                "initial-password-carol")).status()).isEqualTo(201);
        credentials.put(Who.MUST_CHANGE, server.login("carol", "initial-password-carol"));
        String erin = server.user(admin, "erin", "user");
        Response erinApi = server.post("/api/v1/tokens", erin, Map.of("name", "kept"));
        erinToken = erinApi.json().get("token").asText();
        erinTokenId = erinApi.json().get("id").asText();
        erinSpareTokenId = server.post("/api/v1/tokens", erin, Map.of("name", "spare")).json().get("id").asText();

        aliceLive = record(host, "alice", false);
        sessions.put("alice", aliceLive.id());
        sessions.put("bob", record(host, "bob", false).id());
        sessions.put("alice-ended", record(host, "alice", true).id());
        sessions.put("unknown", UUID.randomUUID());
        server.awaitOutputIndexed();   // the searches below look for words of the output

        for (Who who : Who.values()) {
            enrollmentTokens.put(who, server.post("/api/v1/enrollment-tokens", admin, Map.of("ttl_hours", 1)).json()
                    .get("token").asText());
            if (who != Who.HOST && who != Who.ANONYMOUS && who != Who.MUST_CHANGE) {
                ownTokenIds.put(who, server.post("/api/v1/tokens", credentials.get(who), Map.of("name",
                        "to-revoke")).json().get("id").asText());
            }
        }
        for (Who who : List.of(Who.ADMIN, Who.ADMIN_TOKEN, Who.AUDITOR, Who.ALICE, Who.BOB)) {
            Response own = server.post("/api/v1/account/ssh-keys", credentials.get(who), Map.of("public_key",
                    sshKey(Seed.OWN_TO_REMOVE, who)));
            assertThat(own.status()).as(own.toString()).isEqualTo(201);
        }
        for (Who who : List.of(Who.ADMIN, Who.ADMIN_TOKEN)) {
            Response erins = server.post("/api/v1/users/erin/ssh-keys", admin, Map.of("public_key",
                    sshKey(Seed.ERIN_TO_REMOVE, who)));
            assertThat(erins.status()).as(erins.toString()).isEqualTo(201);
        }
        for (Who who : Who.values()) {
            Response hold = server.post("/api/v1/holds", admin, Map.of("scope", "user", "value", holdValue(who),
                    "reason", "to release"));
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            holdIds.put(who, hold.json().get("id").asText());
        }
        toLogOut.put(Who.ADMIN, server.login("admin", ServerFixture.ADMIN_PASSWORD));
        toLogOut.put(Who.AUDITOR, server.login("audra", "chosen-password-audra"));
        toLogOut.put(Who.ALICE, server.login("alice", "chosen-password-alice"));
        toLogOut.put(Who.BOB, server.login("bob", "chosen-password-bob"));
        toLogOut.put(Who.MUST_CHANGE, server.login("carol", "initial-password-carol"));
        toLogOut.put(Who.ADMIN_TOKEN, credentials.get(Who.ADMIN_TOKEN));
        toLogOut.put(Who.HOST, host);

        rows = parse(MATRIX);
        Map<String, Endpoint> endpoints = endpoints();
        enrollmentTokensBefore = server.get("/api/v1/enrollment-tokens", admin).json().size();
        ledgerBefore = ledgerSize();
        for (Row row : rows) {
            Endpoint e = endpoints.get(row.endpoint());
            if (e == null) {
                continue;   // reported by tableAndProbesCoverEveryEndpointOfTheApiDocument
            }
            for (Who who : Who.values()) {
                Probe p = e.probe().make(who, row.target());
                cells.add(new Cell(row, who, p, send(row.method(), p)));
            }
        }
        ledgerAfter = ledgerSize();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A session of {@code user} on web-1 with two commands, both printing {@link #SEARCH_WORD}. */
    private RecordedSession record(String host, String user, boolean ended) throws Exception {
        RecordedSession s = new RecordedSession(user, "web-1");
        byte[] body = concat(s.headerFrame(), frames(s.command("cat notes-of-" + user, SEARCH_WORD + " of " + user,
                0), s.command("uptime", SEARCH_WORD + " up 3 days", 0)));
        if (ended) {
            body = concat(body, endFrame(s.end()));
        }
        Response r = server.ingest(host, s.id(), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return s;
    }

    // ---- what each endpoint is sent, and what it records in the audit log --------------------------------------

    /** One request: path with query, credential, and an optional body. */
    record Probe(String path, String credential, String contentType, byte[] body) {
    }

    @FunctionalInterface
    interface ProbeMaker {
        Probe make(Who who, String target) throws Exception;
    }

    /** The audit event an allowed request leaves: actor, action, session and the predictable details. */
    @FunctionalInterface
    interface AuditMaker {
        String expected(Who who, String target);
    }

    record Endpoint(ProbeMaker probe, AuditMaker audit) {
    }

    private Map<String, Endpoint> endpoints() {
        Map<String, Endpoint> m = new LinkedHashMap<>();
        m.put("GET /healthz", get("/healthz"));
        m.put("GET /metrics", get("/metrics"));
        m.put("GET /api/v1/openapi.yaml", get("/api/v1/openapi.yaml"));
        m.put("POST /api/v1/login", new Endpoint((who, t) -> json(who, "/api/v1/login", Map.of("name", "erin",
                "password", "chosen-password-erin")), (who, t) -> audit("erin", "login", null, Map.of())));
        m.put("POST /api/v1/logout", new Endpoint((who, t) -> new Probe("/api/v1/logout", toLogOut.get(who), null,
                null), (who, t) -> who == Who.ADMIN_TOKEN || who == Who.HOST ? null
                : audit(actor(who), "logout", null, Map.of())));
        m.put("GET /api/v1/me", get("/api/v1/me"));
        m.put("POST /api/v1/password", new Endpoint((who, t) -> json(who, "/api/v1/password", Map.of(
                "current_password", password(who), "new_password", password(who))), null));
        m.put("GET /api/v1/users", get("/api/v1/users"));
        m.put("POST /api/v1/users", new Endpoint((who, t) -> json(who, "/api/v1/users", Map.of("name",
                newUserName(who), "role", "user", "password", "initial-password-new")),
                (who, t) -> audit(actor(who), "user.create", null, withVia(who, Map.of("user", newUserName(who),
                        "role", "user")))));
        m.put("PATCH /api/v1/users/{name}", new Endpoint((who, t) -> json(who, "/api/v1/users/erin",
                Map.of("disabled", false)),
                (who, t) -> audit(actor(who), "user.enable", null, withVia(who, Map.of("user", "erin")))));
        m.put("GET /api/v1/users/{name}/tokens", get("/api/v1/users/erin/tokens"));
        m.put("DELETE /api/v1/users/{name}/tokens/{tokenId}", new Endpoint((who, t) -> new Probe(
                "/api/v1/users/erin/tokens/" + erinSpareTokenId, credentials.get(who), null, null),
                (who, t) -> audit(actor(who), "token.revoke", null, withVia(who, Map.of("user", "erin")))));
        m.put("GET /api/v1/tokens", get("/api/v1/tokens"));
        m.put("POST /api/v1/tokens", new Endpoint((who, t) -> json(who, "/api/v1/tokens", Map.of("name", "probe")),
                (who, t) -> audit(actor(who), "token.create", null, withVia(who, Map.of("name", "probe")))));
        m.put("DELETE /api/v1/tokens/{tokenId}", new Endpoint((who, t) -> new Probe("/api/v1/tokens/"
                + (t.equals("own") ? ownTokenIds.getOrDefault(who, "no-such-token") : erinTokenId),
                credentials.get(who), null, null),
                (who, t) -> audit(actor(who), "token.revoke", null, withVia(who, Map.of()))));
        m.put("GET /api/v1/account/ssh-keys", get("/api/v1/account/ssh-keys"));
        m.put("POST /api/v1/account/ssh-keys", new Endpoint((who, t) -> json(who, "/api/v1/account/ssh-keys",
                Map.of("public_key", sshKey(Seed.OWN_ADDED, who))), (who, t) -> audit(actor(who), "ssh_key.add", null,
                withVia(who, Map.of("user", actor(who), "fingerprint",
                        TestSshKeys.fingerprint(sshKey(Seed.OWN_ADDED, who)))))));
        m.put("DELETE /api/v1/account/ssh-keys/{fingerprint}", new Endpoint((who, t) -> probe(who,
                "/api/v1/account/ssh-keys/" + TestSshKeys.inPath(sshKey(Seed.OWN_TO_REMOVE, who))),
                (who, t) -> audit(actor(who), "ssh_key.remove", null, withVia(who, Map.of("user", actor(who),
                        "fingerprint", TestSshKeys.fingerprint(sshKey(Seed.OWN_TO_REMOVE, who)))))));
        m.put("GET /api/v1/users/{name}/ssh-keys", get("/api/v1/users/erin/ssh-keys"));
        m.put("POST /api/v1/users/{name}/ssh-keys", new Endpoint((who, t) -> json(who, "/api/v1/users/erin/ssh-keys",
                Map.of("public_key", sshKey(Seed.ERIN_ADDED, who))), (who, t) -> audit(actor(who), "ssh_key.add",
                null, withVia(who, Map.of("user", "erin", "fingerprint",
                        TestSshKeys.fingerprint(sshKey(Seed.ERIN_ADDED, who)))))));
        m.put("DELETE /api/v1/users/{name}/ssh-keys/{fingerprint}", new Endpoint((who, t) -> probe(who,
                "/api/v1/users/erin/ssh-keys/" + TestSshKeys.inPath(sshKey(Seed.ERIN_TO_REMOVE, who))),
                (who, t) -> audit(actor(who), "ssh_key.remove", null, withVia(who, Map.of("user", "erin",
                        "fingerprint", TestSshKeys.fingerprint(sshKey(Seed.ERIN_TO_REMOVE, who)))))));
        m.put("GET /api/v1/ingest/gateway/policy", get("/api/v1/ingest/gateway/policy"));
        m.put("GET /api/v1/ingest/gateway/keys", get("/api/v1/ingest/gateway/keys?user=alice"));
        m.put("GET /api/v1/ingest/gateway/capture-policies", get("/api/v1/ingest/gateway/capture-policies"));
        m.put("GET /api/v1/enrollment-tokens", get("/api/v1/enrollment-tokens"));
        m.put("POST /api/v1/enrollment-tokens", new Endpoint((who, t) -> json(who, "/api/v1/enrollment-tokens",
                Map.of("ttl_hours", 1)),
                (who, t) -> audit(actor(who), "enrollment_token.create", null, withVia(who, Map.of()))));
        m.put("GET /api/v1/hosts", get("/api/v1/hosts"));
        m.put("POST /api/v1/enroll", new Endpoint((who, t) -> json(who, "/api/v1/enroll", Map.of("token",
                enrollmentTokens.get(who), "host", probeHost(who))),
                (who, t) -> audit("host:" + probeHost(who), "host.enroll", null, Map.of())));
        m.put("GET /api/v1/ingest/sessions/{id}", new Endpoint((who, t) -> probe(who, "/api/v1/ingest/sessions/"
                + sessions.get(t)), null));
        m.put("POST /api/v1/ingest/sessions/{id}", new Endpoint((who, t) -> new Probe("/api/v1/ingest/sessions/"
                + sessions.get(t), credentials.get(who), IngestRoutes.CONTENT_TYPE, aliceLive.headerFrame()), null));
        m.put("GET /api/v1/ingest/capture-policy", new Endpoint((who, t) -> probe(who,
                "/api/v1/ingest/capture-policy?user=alice&groups=dev"), null));
        m.put("GET /api/v1/sessions", get("/api/v1/sessions"));
        m.put("GET /api/v1/sessions/{id}", sessionRead("", "session.view", Map.of()));
        m.put("GET /api/v1/sessions/{id}/commands", sessionRead("/commands", "session.view",
                Map.of("part", "commands")));
        m.put("GET /api/v1/sessions/{id}/events", sessionRead("/events", "session.view", Map.of("part", "events")));
        m.put("GET /api/v1/sessions/{id}/record", sessionRead("/record", "session.download", Map.of()));
        m.put("GET /api/v1/sessions/{id}/export", sessionRead("/export", "session.export",
                Map.of("format", "asciicast-v2")));
        m.put("GET /api/v1/sessions/{id}/live", sessionRead("/live", "session.watch", Map.of()));
        m.put("GET /api/v1/sessions/{id}/activity", sessionRead("/activity", "session.view",
                Map.of("part", "activity")));
        m.put("GET /api/v1/sessions/{id}/integrity", sessionRead("/integrity", "session.view",
                Map.of("part", "integrity")));
        m.put("GET /api/v1/sessions/{id}/attachments", sessionRead("/attachments", "session.view",
                Map.of("part", "attachments")));
        m.put("GET /api/v1/sessions/{id}/proofs", new Endpoint((who, t) -> probe(who, "/api/v1/sessions/"
                + sessions.get(t) + "/proofs"), null));
        m.put("POST /api/v1/sessions/{id}/terminate", new Endpoint((who, t) -> json(who, "/api/v1/sessions/"
                + sessions.get(t) + "/terminate", Map.of("reason", "matrix probe")),
                (who, t) -> audit(actor(who), "session.terminate", sessions.get(t), withVia(who, Map.of("reason",
                        "matrix probe")))));
        m.put("GET /api/v1/search", new Endpoint((who, t) -> probe(who, "/api/v1/search?q=" + SEARCH_WORD),
                (who, t) -> audit(actor(who), "search", null, withVia(who, Map.of("query", SEARCH_WORD)))));
        m.put("GET /api/v1/ledger/head", get("/api/v1/ledger/head"));
        m.put("GET /api/v1/ledger/key", get("/api/v1/ledger/key"));
        m.put("GET /api/v1/ledger/inclusion", get("/api/v1/ledger/inclusion?leaf_index=0&tree_size=1"));
        m.put("GET /api/v1/ledger/consistency", get("/api/v1/ledger/consistency?from=1&to=2"));
        m.put("GET /api/v1/ledger/leaves", get("/api/v1/ledger/leaves?start=0&count=1"));
        m.put("GET /api/v1/audit", get("/api/v1/audit?limit=1"));
        m.put("GET /api/v1/forwarders", get("/api/v1/forwarders"));
        m.put("GET /api/v1/alerts", new Endpoint((who, t) -> probe(who, "/api/v1/alerts"),
                (who, t) -> audit(actor(who), "alert.list", null, withVia(who, Map.of()))));
        m.put("GET /api/v1/sessions/{id}/alerts", sessionRead("/alerts", "session.view", Map.of("part", "alerts")));
        m.put("GET /api/v1/rules", get("/api/v1/rules"));
        m.put("POST /api/v1/rules/reload", new Endpoint((who, t) -> new Probe("/api/v1/rules/reload",
                credentials.get(who), null, null), (who, t) -> audit(actor(who), "rules.reload", null,
                withVia(who, Map.of("rules", Integer.toString(RuleSet.defaultPack().rules().size()))))));
        m.put("GET /api/v1/holds", get("/api/v1/holds?all=true"));
        m.put("POST /api/v1/holds", new Endpoint((who, t) -> json(who, "/api/v1/holds", Map.of("scope", "host",
                "value", "held-by-" + who.name().toLowerCase(), "reason", "matrix probe")),
                (who, t) -> audit(actor(who), "hold.place", null, withVia(who, Map.of("scope", "host", "value",
                        "held-by-" + who.name().toLowerCase(), "reason", "matrix probe")))));
        m.put("DELETE /api/v1/holds/{id}", new Endpoint((who, t) -> probe(who, "/api/v1/holds/" + holdIds.get(who)),
                (who, t) -> audit(actor(who), "hold.release", null, withVia(who, Map.of("scope", "user", "value",
                        holdValue(who), "reason", "to release")))));
        m.put("GET /api/v1/storage/stats", get("/api/v1/storage/stats?by=host"));
        return m;
    }

    private static String holdValue(Who who) {
        return "release-" + who.name().toLowerCase();
    }

    private Endpoint get(String path) {
        return new Endpoint((who, t) -> probe(who, path), null);
    }

    private Endpoint sessionRead(String suffix, String action, Map<String, String> detail) {
        return new Endpoint((who, t) -> probe(who, "/api/v1/sessions/" + sessions.get(t) + suffix),
                (who, t) -> audit(actor(who), action, sessions.get(t), withVia(who, detail)));
    }

    private Probe probe(Who who, String path) {
        return new Probe(path, credentials.get(who), null, null);
    }

    private Probe json(Who who, String path, Object body) throws Exception {
        return new Probe(path, credentials.get(who), "application/json", ServerFixture.JSON.writeValueAsBytes(body));
    }

    /** What an SSH key of the matrix is for; with the caller, it picks a distinct key. */
    enum Seed { OWN_ADDED, OWN_TO_REMOVE, ERIN_ADDED, ERIN_TO_REMOVE }

    private static String sshKey(Seed seed, Who who) {
        return TestSshKeys.line(seed.ordinal() * 16 + who.ordinal(), "matrix");
    }

    private static String actor(Who who) {
        return switch (who) {
            case ADMIN, ADMIN_TOKEN -> "admin";
            case AUDITOR -> "audra";
            case ALICE -> "alice";
            case BOB -> "bob";
            case HOST -> "host:web-1";
            case ANONYMOUS -> "nobody";
            case MUST_CHANGE -> "carol";
        };
    }

    private static String password(Who who) {
        return switch (who) {
            case ADMIN, ADMIN_TOKEN -> ServerFixture.ADMIN_PASSWORD;
            case MUST_CHANGE -> "initial-password-carol";
            default -> "chosen-password-" + actor(who);
        };
    }

    private static String newUserName(Who who) {
        return "new-by-" + who.name().toLowerCase().replace('_', '-');
    }

    private static String probeHost(Who who) {
        return "probe-" + who.name().toLowerCase().replace('_', '-');
    }

    /** docs/SECURITY.md: an action through an API token names the token's id in the event's details. */
    private Map<String, String> withVia(Who who, Map<String, String> detail) {
        if (who != Who.ADMIN_TOKEN) {
            return detail;
        }
        Map<String, String> d = new TreeMap<>(detail);
        d.put("via_token", adminTokenId);
        return d;
    }

    private static String audit(String actor, String action, UUID session, Map<String, String> detail) {
        return actor + " " + action + " " + (session == null ? "-" : session) + " " + new TreeMap<>(detail);
    }

    private Response send(String method, Probe p) throws Exception {
        if (p.path().endsWith("/live")) {
            return WebSocketHandshake.send(server, p.path(), p.credential());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + p.path()))
                .timeout(Duration.ofSeconds(30));
        if (p.credential() != null) {
            b.header("Authorization", "Bearer " + p.credential());
        }
        if (p.contentType() != null) {
            b.header("Content-Type", p.contentType());
        }
        b.method(method, p.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(p.body()));
        HttpResponse<byte[]> r = server.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body());
    }

    // ---- the checks -------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyCallerGetsWhatTheTableSays() {
        Map<Row, List<Cell>> byRow = new LinkedHashMap<>();
        for (Cell c : cells) {
            byRow.computeIfAbsent(c.row(), r -> new ArrayList<>()).add(c);
        }
        return byRow.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().toString(), () -> {
            SoftAssertions soft = new SoftAssertions();
            for (Cell c : e.getValue()) {
                int expected = c.row().expected().get(c.who());
                soft.assertThat(c.response().status()).as("%s as %s: %s", c.row(), c.who(), c.response())
                        .isEqualTo(expected);
                if (expected >= 400 && c.response().status() == expected) {
                    JsonNode error = c.response().json().get("error");
                    soft.assertThat(error).as("%s as %s: a JSON error", c.row(), c.who()).isNotNull();
                    if (expected == 404 && e.getKey().path().startsWith("/api/v1/sessions/{id}")) {
                        // exactly what a session that does not exist answers: nothing tells "hidden" from "absent"
                        soft.assertThat(c.response().json().get("error").asText()).as("%s as %s", c.row(), c.who())
                                .isEqualTo("no session " + sessions.get(c.row().target()));
                    }
                }
            }
            soft.assertAll();
        }));
    }

    @Test
    void theTableAndTheProbesCoverEveryEndpointOfTheApiDocument() throws Exception {
        Set<String> documented = documentedEndpoints();
        Set<String> tabled = new TreeSet<>();
        rows.forEach(r -> tabled.add(r.endpoint()));
        assertThat(documented).as("endpoints in openapi.yaml").hasSizeGreaterThan(30);
        assertThat(tabled).as("endpoints in the matrix").containsExactlyInAnyOrderElementsOf(documented);
        assertThat(endpoints().keySet()).as("endpoints with a probe").containsExactlyInAnyOrderElementsOf(documented);
        assertThat(cells).hasSize(rows.size() * Who.values().length);
    }

    @Test
    void everyAllowedAuditedRequestLeftExactlyItsEventAndRefusedOnesLeftNone() throws Exception {
        Map<String, Endpoint> endpoints = endpoints();
        List<String> expected = new ArrayList<>();
        for (Cell c : cells) {
            AuditMaker audit = endpoints.get(c.row().endpoint()).audit();
            int status = c.row().expected().get(c.who());
            if (audit != null && ((status >= 200 && status < 300) || status == 101)) {
                String event = audit.expected(c.who(), c.row().target());
                if (event != null) {
                    expected.add(event);
                }
            }
        }
        List<String> recorded = new ArrayList<>();
        for (JsonNode e : auditEvents()) {
            long index = e.get("ledger_index").asLong();
            if (index >= ledgerBefore && index < ledgerAfter) {
                recorded.add(describe(e));
            }
        }
        assertThat(recorded).as("audit events of the matrix run").containsExactlyInAnyOrderElementsOf(expected);
        long contentReads = expected.stream().filter(s -> CONTENT_READS.contains(s.split(" ")[1])).count();
        // 10 session reads (details, commands, events, record, export, live, activity, integrity, attachments,
        // alerts) × 8 allowed cells, 5 searches and 5 alert lists
        assertThat(contentReads).as("content reads in the run").isEqualTo(10 * 8 + 5 + 5);
    }

    @Test
    void listingsShowOnlyTheSessionsTheCallerMaySee() throws Exception {
        Set<UUID> all = Set.of(sessions.get("alice"), sessions.get("alice-ended"), sessions.get("bob"));
        Set<UUID> alices = Set.of(sessions.get("alice"), sessions.get("alice-ended"));
        assertThat(listed(Who.ALICE, "")).isEqualTo(alices);
        assertThat(listed(Who.BOB, "")).containsExactly(sessions.get("bob"));
        assertThat(listed(Who.AUDITOR, "")).isEqualTo(all);
        assertThat(listed(Who.ADMIN, "")).isEqualTo(all);
        assertThat(listed(Who.ADMIN_TOKEN, "")).isEqualTo(all);
        assertThat(listed(Who.ALICE, "&user=bob")).as("a user filter cannot widen the view").isEmpty();
        assertThat(listed(Who.AUDITOR, "&user=bob")).containsExactly(sessions.get("bob"));
        assertThat(server.get("/api/v1/sessions", credentials.get(Who.HOST)).status()).isEqualTo(403);
        assertThat(server.get("/api/v1/sessions", credentials.get(Who.MUST_CHANGE)).status()).isEqualTo(403);
    }

    @Test
    void searchFindsOnlyTheSessionsTheCallerMaySee() throws Exception {
        Set<UUID> all = Set.of(sessions.get("alice"), sessions.get("alice-ended"), sessions.get("bob"));
        Set<UUID> alices = Set.of(sessions.get("alice"), sessions.get("alice-ended"));
        assertThat(found(Who.ALICE, "")).isEqualTo(alices);
        assertThat(found(Who.BOB, "")).containsExactly(sessions.get("bob"));
        assertThat(found(Who.AUDITOR, "")).isEqualTo(all);
        assertThat(found(Who.ADMIN_TOKEN, "")).isEqualTo(all);
        assertThat(found(Who.ALICE, "&user=bob")).as("a user filter cannot widen the search").isEmpty();
        assertThat(server.get("/api/v1/search?q=" + SEARCH_WORD, credentials.get(Who.HOST)).status())
                .isEqualTo(403);
        assertThat(server.get("/api/v1/search?q=" + SEARCH_WORD, null).status()).isEqualTo(401);
    }

    @Test
    void refusedAccountChangesHadNoEffect() throws Exception {
        String admin = credentials.get(Who.ADMIN);
        List<String> created = new ArrayList<>();
        server.get("/api/v1/users", admin).json().forEach(u -> {
            if (u.get("name").asText().startsWith("new-by-")) {
                created.add(u.get("name").asText());
            }
        });
        assertThat(created).containsExactlyInAnyOrder(newUserName(Who.ADMIN), newUserName(Who.ADMIN_TOKEN));
        assertThat(server.get("/api/v1/enrollment-tokens", admin).json().size() - enrollmentTokensBefore)
                .as("enrollment tokens made in the run").isEqualTo(2);
        assertThat(server.get("/api/v1/me", erinToken).status()).as("erin's token, which others tried to revoke")
                .isEqualTo(200);
        for (Who who : List.of(Who.ADMIN, Who.AUDITOR, Who.ALICE, Who.BOB, Who.MUST_CHANGE)) {
            assertThat(server.get("/api/v1/me", toLogOut.get(who)).status()).as("%s's logged-out session", who)
                    .isEqualTo(401);
            assertThat(server.get("/api/v1/me", credentials.get(who)).status()).as("%s's other session", who)
                    .isEqualTo(200);
        }
        assertThat(server.get("/api/v1/me", credentials.get(Who.ADMIN_TOKEN)).status()).isEqualTo(200);
    }

    /**
     * A browser keeps the session cookie after the login session ended (logout elsewhere, idle expiry, a server
     * restart); logging in again must still work, so the open endpoints treat an unknown credential as none.
     */
    @Test
    void aStaleLoginCookieDoesNotStopLoggingInAgain() throws Exception {
        String ended = toLogOut.get(Who.ALICE);   // logged out by the matrix run
        HttpRequest login = HttpRequest.newBuilder(URI.create(server.base + "/api/v1/login"))
                .header("Cookie", ApiServer.SESSION_COOKIE + "=" + ended).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ServerFixture.JSON.writeValueAsBytes(Map.of("name",
                        "alice", "password", "chosen-password-alice")))).build();
        HttpResponse<byte[]> r = server.http.send(login, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        String fresh = ServerFixture.JSON.readTree(r.body()).get("token").asText();
        assertThat(server.get("/api/v1/me", fresh).status()).isEqualTo(200);

        assertThat(server.get("/api/v1/me", ended).status()).as("everything else still refuses it").isEqualTo(401);
        HttpRequest openApi = HttpRequest.newBuilder(URI.create(server.base + "/api/v1/openapi.yaml"))
                .header("Cookie", ApiServer.SESSION_COOKIE + "=" + ended).GET().build();
        assertThat(server.http.send(openApi, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    private Set<UUID> listed(Who who, String query) throws Exception {
        Response r = server.get("/api/v1/sessions?limit=1000" + query, credentials.get(who));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Set<UUID> ids = new LinkedHashSet<>();
        r.json().get("items").forEach(s -> ids.add(UUID.fromString(s.get("id").asText())));
        return ids;
    }

    private Set<UUID> found(Who who, String query) throws Exception {
        Response r = server.get("/api/v1/search?limit=1000&q=" + SEARCH_WORD + query, credentials.get(who));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Set<UUID> ids = new LinkedHashSet<>();
        r.json().get("items").forEach(h -> ids.add(UUID.fromString(h.get("session_id").asText())));
        return ids;
    }

    private long ledgerSize() throws Exception {
        return server.get("/api/v1/ledger/leaves?count=1", credentials.get(Who.ADMIN)).json().get("tree_size")
                .asLong();
    }

    private List<JsonNode> auditEvents() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = server.get("/api/v1/audit?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor),
                    credentials.get(Who.ADMIN)).json();
            page.get("items").forEach(out::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return out;
    }

    private static String describe(JsonNode e) {
        Map<String, String> detail = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = e.get("detail").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!UNPREDICTABLE_DETAIL.contains(f.getKey())) {
                detail.put(f.getKey(), f.getValue().asText());
            }
        }
        UUID session = e.get("session_id").isNull() ? null : UUID.fromString(e.get("session_id").asText());
        return audit(e.get("actor").asText(), e.get("action").asText(), session, detail);
    }

    // ---- the table and the API document -----------------------------------------------------------------------

    /** One line of the table: a request and the status each caller must get. */
    record Row(String method, String path, String target, Map<Who, Integer> expected) {
        String endpoint() {
            return method + " " + path;
        }

        @Override
        public String toString() {
            return endpoint() + (target.equals("-") ? "" : " [" + target + "]");
        }
    }

    record Cell(Row row, Who who, Probe probe, Response response) {
    }

    static List<Row> parse(String table) {
        List<Row> out = new ArrayList<>();
        for (String line : table.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length != 3 + Who.values().length) {
                throw new IllegalArgumentException("a matrix row needs method, path, target and "
                        + Who.values().length + " statuses: " + t);
            }
            Map<Who, Integer> expected = new EnumMap<>(Who.class);
            for (Who who : Who.values()) {
                expected.put(who, Integer.parseInt(f[3 + who.ordinal()]));
            }
            out.add(new Row(f[0], f[1], f[2], expected));
        }
        return out;
    }

    /** "METHOD /path" of every operation under {@code paths:} in openapi.yaml (a reader for its plain layout). */
    static Set<String> documentedEndpoints() throws Exception {
        Set<String> out = new TreeSet<>();
        Pattern pathLine = Pattern.compile("^  (/\\S*):\\s*$");
        Pattern methodLine = Pattern.compile("^    (get|put|post|patch|delete|head|options):.*$");
        try (InputStream in = ApiServer.class.getResourceAsStream("/org/ttyaudit/server/api/openapi.yaml");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            boolean inPaths = false;
            String path = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                    inPaths = line.startsWith("paths:");
                    continue;
                }
                if (!inPaths) {
                    continue;
                }
                Matcher p = pathLine.matcher(line);
                Matcher m = methodLine.matcher(line);
                if (p.matches()) {
                    path = p.group(1);
                } else if (m.matches() && path != null) {
                    out.add(m.group(1).toUpperCase() + " " + path);
                }
            }
        }
        return out;
    }
}
