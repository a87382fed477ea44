package org.ttyaudit.server.api;

import org.ttyaudit.server.api.ServerFixture.Response;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * A WebSocket opening handshake written by hand over TLS, for tests that need the server's full answer to an
 * upgrade: the status, and for a refusal the JSON body (the JDK's WebSocket client does not show it). It sends
 * this server's Origin and the subprotocols asciinema-player offers, and closes the connection after the
 * answer's head (a 101 is not read further).
 */
final class WebSocketHandshake {
    private WebSocketHandshake() {
    }

    static Response send(ServerFixture server, String path, String bearer) throws Exception {
        URI base = URI.create(server.base);
        try (SSLSocket socket = (SSLSocket) ServerFixture.trusting(server.dataDir.resolve("tls/cert.pem"))
                .getSocketFactory().createSocket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            byte[] key = new byte[16];
            new java.security.SecureRandom().nextBytes(key);
            StringBuilder req = new StringBuilder()
                    .append("GET ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
                    .append("Sec-WebSocket-Protocol: v1.alis, v2.asciicast, v3.asciicast, raw\r\n")
                    .append("Origin: ").append(server.base).append("\r\n");
            if (bearer != null) {
                req.append("Authorization: Bearer ").append(bearer).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = head(in);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            if (status == 101) {
                return new Response(101, new byte[0]);
            }
            int length = 0;
            boolean chunked = false;
            for (String line : head.split("\r\n")) {
                String l = line.toLowerCase(Locale.ROOT);
                if (l.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                    chunked = true;
                }
            }
            return new Response(status, chunked ? chunked(in) : in.readNBytes(length));
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("the chunked body ends early");
                }
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
            if (n == 0) {
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            in.readNBytes(2);   // the CRLF after the chunk
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the server closed the connection in the middle of its answer: " + b);
            }
            b.write(c);
            matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
