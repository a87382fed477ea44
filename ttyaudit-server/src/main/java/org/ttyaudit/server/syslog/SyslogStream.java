package org.ttyaudit.server.syslog;

import org.ttyaudit.server.tls.ClientSockets;

import javax.net.ssl.SSLContext;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A syslog connection over TCP (RFC 6587) or TLS (RFC 5425): opened when needed and kept; each message framed by
 * octet counting ({@code LENGTH SP MESSAGE}). Before each write the connection is checked (a receiver that closed
 * it, or sent anything, which a syslog receiver never does, means it is gone) and opened again. A failed connect or
 * write closes the connection, and the next call opens a new one. With TLS the receiver's certificate is checked
 * by {@code tls}'s trust managers, which are asked to check that it names the host (HTTPS endpoint
 * identification; a pinning trust manager may decide that the pin alone identifies the receiver).
 *
 * <p>The protocols have no acknowledgement, so messages written into a connection that breaks right after the
 * write can be lost as far as this side can tell; callers that need more (forwarding) say so in their docs.
 *
 * <p>Used by one thread at a time, except {@link #close()}, which may be called from another thread to end a
 * write that hangs.
 */
public final class SyslogStream implements AutoCloseable {
    private final String host;
    private final int port;
    private final SSLContext tls;
    private final Duration timeout;
    /** The open connection, or null. */
    private volatile ClientSockets.Connection connection;
    private OutputStream out;
    private volatile boolean closed;

    /** @param tls null for plain TCP */
    public SyslogStream(String host, int port, SSLContext tls, Duration timeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.tls = tls;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Writes {@code messages}, each framed, and flushes once. A failure closes the connection. */
    public void send(List<byte[]> messages) throws IOException {
        if (closed) {
            throw new IOException("the syslog connection is closed");
        }
        try {
            if (connection != null && !stillOpen(connection.plain())) {
                disconnect();
            }
            if (connection == null) {
                connect();
            }
            for (byte[] m : messages) {
                out.write(frame(m));
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e;
        }
    }

    /** RFC 6587 octet counting: {@code MSG-LEN SP SYSLOG-MSG}, the length in decimal bytes. */
    public static byte[] frame(byte[] message) {
        byte[] prefix = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(message, 0, out, prefix.length, message.length);
        return out;
    }

    private void connect() throws IOException {
        ClientSockets.Connection c = ClientSockets.open(host, port, tls, timeout);
        // one TLS record or TCP write per batch rather than per message; send() flushes
        out = new BufferedOutputStream(c.stream().getOutputStream(), 64 * 1024);
        connection = c;
    }

    /**
     * Whether the receiver still has the connection: a syslog receiver never sends, so end of stream or any byte
     * (a TLS close_notify, say) means it is gone. Reads the TCP socket under TLS directly: what it would consume
     * belongs to a connection that is being dropped anyway.
     */
    private static boolean stillOpen(Socket s) {
        try {
            int before = s.getSoTimeout();
            s.setSoTimeout(1);
            try {
                InputStream in = s.getInputStream();
                in.read();
                return false;   // end of stream, or a byte: either way the receiver is done with it
            } finally {
                s.setSoTimeout(before);
            }
        } catch (SocketTimeoutException e) {
            return true;   // nothing to read: the normal case
        } catch (IOException e) {
            return false;
        }
    }

    /** Drops the connection (the next send opens a new one). */
    private void disconnect() {
        ClientSockets.Connection c = connection;
        connection = null;
        out = null;
        if (c != null) {
            c.drop();
        }
    }

    /** Drops the connection for good; a send in progress fails. */
    @Override
    public void close() {
        closed = true;
        disconnect();
    }
}
