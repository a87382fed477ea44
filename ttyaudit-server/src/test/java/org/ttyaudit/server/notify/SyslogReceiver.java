package org.ttyaudit.server.notify;

import javax.net.ssl.SSLContext;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real syslog receiver on the loopback interface: UDP (one message per datagram), or TCP or TLS with RFC 6587
 * octet counting. It keeps every message it got (as bytes, for {@link SyslogFrame#parse}), counts connections,
 * and can drop its connections or stop listening for a while.
 */
final class SyslogReceiver implements AutoCloseable {
    private final String protocol;
    private final SSLContext tls;
    private final List<byte[]> messages = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile int port;
    private DatagramSocket udp;
    private ServerSocket listener;

    private SyslogReceiver(String protocol, SSLContext tls) throws IOException {
        this.protocol = protocol;
        this.tls = tls;
        start();
    }

    static SyslogReceiver udp() throws IOException {
        return new SyslogReceiver("udp", null);
    }

    static SyslogReceiver tcp() throws IOException {
        return new SyslogReceiver("tcp", null);
    }

    static SyslogReceiver tls(ReceiverCertificate certificate) throws IOException {
        return new SyslogReceiver("tls", certificate.serverTls());
    }

    /** Starts (again) on the same port as before, or a free one the first time. */
    synchronized void start() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (protocol.equals("udp")) {
            udp = new DatagramSocket(address);
            port = udp.getLocalPort();
            DatagramSocket socket = udp;
            daemon(() -> {
                byte[] buf = new byte[70_000];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (IOException e) {
                        return;
                    }
                    messages.add(Arrays.copyOf(p.getData(), p.getLength()));
                }
            });
            return;
        }
        ServerSocket s = tls != null ? tls.getServerSocketFactory().createServerSocket() : new ServerSocket();
        s.setReuseAddress(true);
        s.bind(address);
        listener = s;
        port = s.getLocalPort();
        daemon(() -> {
            while (!s.isClosed()) {
                Socket c;
                try {
                    c = s.accept();
                } catch (IOException e) {
                    return;
                }
                accepted.incrementAndGet();
                connections.add(c);
                daemon(() -> read(c));
            }
        });
    }

    private void read(Socket c) {
        try (c; InputStream in = c.getInputStream()) {
            while (true) {
                messages.add(SyslogFrame.readOctetCounted(in));
            }
        } catch (EOFException e) {
            // the sender closed the connection
        } catch (IOException e) {
            // dropped by the test, or a failed handshake
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "syslog-receiver");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return port;
    }

    List<byte[]> messages() {
        return messages;
    }

    List<SyslogFrame> frames() {
        return messages.stream().map(SyslogFrame::parse).toList();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Closes every open connection (the receiver restarted, say) but keeps listening. */
    void dropConnections() throws IOException {
        for (Socket c : connections) {
            c.close();
        }
        connections.clear();
    }

    /** Stops listening and drops the connections: connects are refused until {@link #start()}. */
    synchronized void stop() throws IOException {
        if (udp != null) {
            udp.close();
        }
        if (listener != null) {
            listener.close();
        }
        dropConnections();
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
