package org.ttyaudit.server.live;

import java.util.concurrent.CompletableFuture;

/**
 * The connection to one live viewer (a WebSocket), as the hub needs it. Implementations must not block in any
 * method: a send is queued and its future completes when the frame was written (or fails when it cannot be).
 */
public interface ViewerSocket {
    /** Sends one text frame; the future completes once it is written to the network. */
    CompletableFuture<Void> send(String text);

    /** Sends a ping (a quiet session's connection stays open, and a dead one is noticed); failures are ignored. */
    void ping();

    /** Starts a clean close with {@code code} (RFC 6455) and a short {@code reason}. */
    void close(int code, String reason);

    /** Drops the connection without a close handshake (the peer stopped reading). */
    void disconnect();
}
