package org.ttyaudit.server.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens the TCP or TLS connections the server makes to receivers (syslog, Fluentd). Stateless. */
public final class ClientSockets {
    private ClientSockets() {
    }

    /**
     * A connection to {@code host:port} within {@code timeout}, whose reads then time out after {@code timeout}
     * too, with Nagle off (each write is a whole message or batch, to be sent at once). With {@code tls}, the
     * handshake is done before this returns and the trust managers are asked to check that the certificate
     * names {@code host} (HTTPS endpoint identification; a pinning trust manager may decide the pin suffices).
     *
     * @return the plain socket and the stream to use (the TLS socket over it, or the plain socket itself)
     */
    public static Connection open(String host, int port, SSLContext tls, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            int millis = (int) timeout.toMillis();
            s.connect(new InetSocketAddress(host, port), millis);
            s.setSoTimeout(millis);
            s.setTcpNoDelay(true);
            if (tls == null) {
                return new Connection(s, s);
            }
            SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, host, port, true);
            SSLParameters params = t.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");   // the certificate must name the host
            t.setSSLParameters(params);
            t.startHandshake();
            return new Connection(s, t);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** An open connection: {@code plain} is the TCP socket, {@code stream} the one to read and write. */
    public record Connection(Socket plain, Socket stream) {
        /**
         * Closes the TCP socket (which ends the TLS one too, without close_notify: the connection is being
         * dropped, and a write that hangs must end). Never fails.
         */
        public void drop() {
            try {
                plain.close();
            } catch (IOException ignored) {
                // the connection is being dropped; nothing is waiting for it
            }
        }
    }
}
