package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.api.ServerFixture.Response;
import org.ttyaudit.server.testkit.RecordedSession;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/**
 * {@code /api/v1/sessions/{id}/live} on a real server with the JDK's WebSocket client, offering the subprotocols
 * asciinema-player offers: asciicast v2 frames, replay then live, the watched hint in the ingest answer, the end
 * closing with 1000; a foreign session is a 404 and another site's page a 403, both before the upgrade.
 */
class LiveViewTest {
    private static final String[] PLAYER_PROTOCOLS = {"v1.alis", "v2.asciicast", "v3.asciicast", "raw"};

    @TempDir
    Path dir;
    private ServerFixture server;
    private String admin;
    private String host;

    @BeforeEach
    void start() throws Exception {
        server = new ServerFixture(dir.resolve("data"));
        admin = server.admin();
        host = server.host(admin, "web-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aWatchedSessionStreamsAsAsciicastAndEndsWith1000() throws Exception {
        RecordedSession s = new RecordedSession("alice", "web-1");
        Response first = server.ingest(host, s.id(), RecordedSession.concat(s.headerFrame(),
                frames(s.command("ls", "before-watching", 0))));
        assertThat(first.json().get("flush_within_ms").isNull()).as("nobody watches yet").isTrue();

        Viewer v = Viewer.open(server, s.id().toString(), admin, server.base);
        assertThat(v.socket.getSubprotocol()).isEqualTo("v2.asciicast");
        JsonNode header = ServerFixture.JSON.readTree(v.next());
        assertThat(header.get("version").asInt()).isEqualTo(2);
        assertThat(header.get("width").asInt()).isEqualTo(80);
        assertThat(v.nextContaining("before-watching")).startsWith("[");

        Response watched = server.ingest(host, s.id(), frames(s.command("make", "while-watching", 0)));
        assertThat(watched.json().get("flush_within_ms").asInt()).isEqualTo(200);
        assertThat(server.get("/api/v1/ingest/sessions/" + s.id(), host).json().get("flush_within_ms").asInt())
                .isEqualTo(200);
        JsonNode live = ServerFixture.JSON.readTree(v.nextContaining("while-watching"));
        assertThat(live.get(1).asText()).isEqualTo("o");
        assertThat(live.get(0).asDouble()).isEqualTo(1.001020);

        server.ingest(host, s.id(), endFrame(s.end()));
        assertThat(v.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);

        JsonNode audit = server.get("/api/v1/audit?session=" + s.id(), admin).json();
        assertThat(audit.toString()).contains("session.watch");
    }

    @Test
    void aPlainGetIsToldToUpgrade() throws Exception {
        Response r = server.get("/api/v1/sessions/" + java.util.UUID.randomUUID() + "/live", admin);
        assertThat(r.status()).isEqualTo(426);
        assertThat(r.json().get("error").asText()).contains("WebSocket");
    }

    @Test
    void anotherUsersSessionIsNotFoundBeforeTheUpgrade() throws Exception {
        RecordedSession s = new RecordedSession("bob", "web-1");
        server.ingest(host, s.id(), s.headerFrame());
        String alice = server.user(admin, "alice", "user");
        assertThatThrownBy(() -> Viewer.open(server, s.id().toString(), alice, server.base))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(404));
        assertThatThrownBy(() -> Viewer.open(server, java.util.UUID.randomUUID().toString(), admin, server.base))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(404));
    }

    @Test
    void anUpgradeFromAnotherSiteOrWithoutOriginIsRefused() throws Exception {
        RecordedSession s = new RecordedSession("alice", "web-1");
        server.ingest(host, s.id(), s.headerFrame());
        assertThatThrownBy(() -> Viewer.open(server, s.id().toString(), admin, "https://evil.example"))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(403));
        assertThatThrownBy(() -> Viewer.open(server, s.id().toString(), admin, null))
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(403));
    }

    private static int handshakeStatus(Throwable e) {
        Throwable t = e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException
                ? e.getCause() : e;
        assertThat(t).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) t).getResponse().statusCode();
    }

    /** A WebSocket client that queues each complete text message and notes the close code. */
    static final class Viewer implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Viewer open(ServerFixture server, String session, String token, String origin) throws Exception {
            Viewer v = new Viewer();
            WebSocket.Builder b = server.http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .subprotocols(PLAYER_PROTOCOLS[0], List.of(PLAYER_PROTOCOLS).subList(1, 4)
                            .toArray(new String[0]));
            if (origin != null) {
                b.header("Origin", origin);
            }
            URI uri = URI.create(server.base.replace("https://", "wss://") + "/api/v1/sessions/" + session + "/live");
            try {
                v.socket = b.buildAsync(uri, v).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new CompletionException(e.getCause());
            }
            return v;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String m = messages.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no frame within 10 s");
            }
            return m;
        }

        String nextContaining(String text) throws InterruptedException {
            while (true) {
                String m = next();
                if (m.contains(text)) {
                    return m;
                }
            }
        }
    }
}
