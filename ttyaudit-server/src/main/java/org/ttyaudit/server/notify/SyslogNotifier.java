package org.ttyaudit.server.notify;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends notices to a {@link SyslogTarget} as RFC 5424 messages ({@link Rfc5424Formatter}):
 * <ul>
 *   <li>UDP (RFC 5426): one datagram per message, cut to {@code max_datagram} bytes. UDP has no
 *   acknowledgement: a datagram that leaves is delivered as far as ttyaudit can know.</li>
 *   <li>TCP (RFC 6587) and TLS (RFC 5425): one connection, opened when needed and kept; each message framed by
 *   octet counting ({@code LENGTH SP MESSAGE}). Before each message the connection is checked (a receiver that
 *   closed it, or sent anything, which a syslog receiver never does, means it is gone) and opened again. A failed
 *   connect or write closes the connection, and the next attempt opens a new one. TLS checks the receiver's
 *   certificate and that it names the configured host.</li>
 * </ul>
 * The protocols have no acknowledgement, so a message written into a connection that breaks right after the
 * write can be lost; docs/ALERTS.md says so. Errors name the target's host and port.
 */
final class SyslogNotifier implements Notifier {
    /** A message over TCP/TLS is cut at this size (receivers take far less by default: rsyslog 8 KiB). */
    static final int MAX_STREAM_MESSAGE = 64 * 1024;

    private final SyslogTarget target;
    private DatagramSocket udp;
    /** The open TCP socket (under the TLS socket for TLS), or null. */
    private volatile Socket plain;
    private OutputStream out;
    private volatile boolean closed;

    SyslogNotifier(SyslogTarget target) {
        this.target = target;
    }

    @Override
    public void deliver(AlertNotice notice) throws DeliveryException {
        if (closed) {
            throw new DeliveryException("the notifier is closed");
        }
        boolean datagram = target.protocol() == SyslogTarget.Protocol.UDP;
        byte[] message = Rfc5424Formatter.format(notice, target.facility(), target.hostname(), target.sdId(),
                datagram ? target.maxDatagram() : MAX_STREAM_MESSAGE);
        try {
            if (datagram) {
                sendDatagram(message);
            } else {
                sendFramed(message);
            }
        } catch (IOException e) {
            disconnect();
            throw new DeliveryException("syslog " + target.protocol().name().toLowerCase(Locale.ROOT) + " to "
                    + target.host() + ":" + target.port() + ": " + WebhookNotifier.describe(e), null, e);
        }
    }

    private void sendDatagram(byte[] message) throws IOException {
        if (udp == null) {
            udp = new DatagramSocket();
        }
        InetSocketAddress to = new InetSocketAddress(target.host(), target.port());   // resolved on each send
        if (to.isUnresolved()) {
            throw new IOException("cannot resolve " + target.host());
        }
        udp.send(new DatagramPacket(message, message.length, to));
    }

    private void sendFramed(byte[] message) throws IOException {
        if (plain != null && !stillOpen(plain)) {
            disconnect();
        }
        if (plain == null) {
            connect();
        }
        out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(message);
        out.flush();
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            int timeout = (int) target.timeout().toMillis();
            s.connect(new InetSocketAddress(target.host(), target.port()), timeout);
            s.setSoTimeout(timeout);
            s.setTcpNoDelay(true);   // one message at a time, each to be sent at once (the latency budget is 1 s)
            Socket stream = s;
            if (target.protocol() == SyslogTarget.Protocol.TLS) {
                SSLSocket tls = (SSLSocket) target.tls().getSocketFactory().createSocket(s, target.host(),
                        target.port(), true);
                SSLParameters params = tls.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");   // the certificate must name the host
                tls.setSSLParameters(params);
                tls.startHandshake();
                stream = tls;
            }
            out = stream.getOutputStream();
            plain = s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Whether the receiver still has the connection: a syslog receiver never sends, so end of stream or any byte
     * (a TLS close_notify, say) means it is gone. Reads the TCP socket under TLS directly: what it would consume
     * belongs to a connection that is being dropped anyway.
     */
    private boolean stillOpen(Socket s) {
        try {
            int timeout = s.getSoTimeout();
            s.setSoTimeout(1);
            try {
                InputStream in = s.getInputStream();
                in.read();
                return false;   // end of stream, or a byte: either way the receiver is done with it
            } finally {
                s.setSoTimeout(timeout);
            }
        } catch (SocketTimeoutException e) {
            return true;   // nothing to read: the normal case
        } catch (IOException e) {
            return false;
        }
    }

    private void disconnect() {
        Socket s = plain;
        plain = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the connection is being dropped; nothing is waiting for it
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        disconnect();
        if (udp != null) {
            udp.close();
        }
    }
}
