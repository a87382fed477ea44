package org.ttyaudit.server.notify;

import org.ttyaudit.server.syslog.SyslogStream;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Sends notices to a {@link SyslogTarget} as RFC 5424 messages ({@link Rfc5424Formatter}):
 * <ul>
 *   <li>UDP (RFC 5426): one datagram per message, cut to {@code max_datagram} bytes. UDP has no
 *   acknowledgement: a datagram that leaves is delivered as far as ttyaudit can know.</li>
 *   <li>TCP (RFC 6587) and TLS (RFC 5425): one kept connection ({@link SyslogStream}), each message framed by
 *   octet counting. TLS checks the receiver's certificate and that it names the configured host.</li>
 * </ul>
 * The protocols have no acknowledgement, so a message written into a connection that breaks right after the
 * write can be lost; docs/ALERTS.md says so. Errors name the target's host and port.
 */
final class SyslogNotifier implements Notifier {
    /** A message over TCP/TLS is cut at this size (receivers take far less by default: rsyslog 8 KiB). */
    static final int MAX_STREAM_MESSAGE = 64 * 1024;

    private final SyslogTarget target;
    private DatagramSocket udp;
    /** The TCP or TLS connection; null for UDP. */
    private final SyslogStream stream;
    private volatile boolean closed;

    SyslogNotifier(SyslogTarget target) {
        this.target = target;
        this.stream = target.protocol() == SyslogTarget.Protocol.UDP ? null
                : new SyslogStream(target.host(), target.port(), target.tls(), target.timeout());
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
                stream.send(List.of(message));
            }
        } catch (IOException e) {
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

    @Override
    public void close() {
        closed = true;
        if (stream != null) {
            stream.close();
        }
        if (udp != null) {
            udp.close();
        }
    }
}
