package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.live.LiveHub;
import org.ttyaudit.server.live.LiveViewer;
import org.ttyaudit.server.live.ViewerSocket;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/v1/sessions/{id}/live}: a WebSocket that streams a session as asciicast v2, one JSON text per
 * frame, the way asciinema-player's {@code websocket} driver reads it (subprotocol {@code v2.asciicast}). The
 * access check and the audit event ({@code session.watch}) happen before the upgrade, so a session the caller
 * may not see is a plain 404 and never a socket. The streaming itself is {@link LiveHub}'s.
 */
final class LiveRoutes implements Routes {
    /** The WebSocket subprotocol asciinema-player offers for asciicast v2 (and picks by the server's answer). */
    static final String PROTOCOL = "v2.asciicast";
    static final String PATH = "/api/v1/sessions/{id}/live";

    private final SessionAccess access;
    private final LiveHub hub;
    /** The viewer of each open socket, by Javalin's connection id, to stop it when the socket closes. */
    private final Map<String, LiveViewer> open = new ConcurrentHashMap<>();

    LiveRoutes(SessionAccess access, LiveHub hub) {
        this.access = access;
        this.hub = hub;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.wsBeforeUpgrade(PATH, this::beforeUpgrade);
        routes.ws(PATH, this::socket);
        routes.get(PATH, ctx -> {
            throw new ApiException(426, "this endpoint is a WebSocket (wss://, subprotocol " + PROTOCOL + ")");
        });
    }

    /** Refusals that reveal nothing about the session come first, so that only an opened view is audited. */
    private void beforeUpgrade(Context ctx) {
        String offered = ctx.header("Sec-WebSocket-Protocol");
        if (offered != null) {
            List<String> protocols = Arrays.stream(offered.split(",")).map(String::trim).toList();
            if (!protocols.contains(PROTOCOL)) {
                throw ApiException.badRequest("this endpoint speaks the WebSocket subprotocol " + PROTOCOL
                        + ", not " + offered);
            }
        }
        if (hub.full()) {
            throw new ApiException(503, "too many live views are open; try again later");
        }
        SessionAccess.requireContent(access.view(ctx, Action.SESSION_VIEW, "session.watch", Map.of()));
        if (offered != null) {
            // Javalin answers with the client's first choice; the player offers v1.alis first.
            ctx.header("Sec-WebSocket-Protocol", PROTOCOL);
        }
    }

    private void socket(WsConfig ws) {
        ws.onConnect(ctx -> {
            Optional<LiveViewer> viewer = hub.watch(Params.sessionIdOf(ctx.pathParam("id")),
                    new JettySocket(ctx.session));
            if (viewer.isEmpty()) {
                ctx.closeSession(1013, "too many live views are open; try again later");
                return;
            }
            open.put(ctx.sessionId(), viewer.get());
        });
        ws.onClose(ctx -> stop(ctx));
        ws.onError(ctx -> stop(ctx));
    }

    private void stop(WsContext ctx) {
        LiveViewer v = open.remove(ctx.sessionId());
        if (v != null) {
            v.stop();
        }
    }

    /** Jetty's WebSocket session as the hub's non-blocking socket. */
    private record JettySocket(Session session) implements ViewerSocket {
        @Override
        public CompletableFuture<Void> send(String text) {
            Callback.Completable done = new Callback.Completable();
            session.sendText(text, done);
            return done;
        }

        @Override
        public void ping() {
            session.sendPing(java.nio.ByteBuffer.allocate(0), Callback.NOOP);
        }

        @Override
        public void close(int code, String reason) {
            session.close(code, reason, Callback.NOOP);
        }

        @Override
        public void disconnect() {
            session.disconnect();
        }
    }
}
