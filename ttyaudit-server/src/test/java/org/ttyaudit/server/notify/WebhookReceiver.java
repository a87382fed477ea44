package org.ttyaudit.server.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A real HTTP(S) server on the loopback interface that records every request it gets and answers with the status
 * the test sets (200 unless told otherwise). It can be stopped and started again on the same port, to play a
 * receiver that is down for a while.
 */
final class WebhookReceiver implements AutoCloseable {
    static {
        // The JDK server writes an answer's headers and body separately; with Nagle's algorithm on, the body then
        // waits for the client's delayed ACK (40 ms on Linux), which real receivers (nginx, Slack) do not make
        // anyone wait for. Read once, when the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One request as received. */
    record Request(String method, String path, Map<String, List<String>> headers, String body, long nanoTime) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    /** An answer: a status and headers. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> scripted = new ConcurrentLinkedQueue<>();
    private final SSLContext tls;
    private volatile Answer standing = new Answer(200, Map.of(), "ok");
    /** While set, requests are recorded but not answered until it is released. */
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile int port;
    private HttpServer server;

    private WebhookReceiver(SSLContext tls) throws IOException {
        this.tls = tls;
        start();
    }

    static WebhookReceiver http() throws IOException {
        return new WebhookReceiver(null);
    }

    static WebhookReceiver https(ReceiverCertificate certificate) throws IOException {
        return new WebhookReceiver(certificate.serverTls());
    }

    /** Starts (again) on the same port as before, or a free one the first time. */
    synchronized void start() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        HttpServer s;
        if (tls != null) {
            HttpsServer https = HttpsServer.create(address, 50);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            s = https;
        } else {
            s = HttpServer.create(address, 50);
        }
        s.createContext("/", this::handle);
        s.start();
        server = s;
        port = s.getAddress().getPort();
    }

    /** Stops listening: connections are refused until {@link #start()}. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    String url(String path) {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port + path;
    }

    /** Answers every request from now on with {@code status} (and {@code headers}), after the scripted ones. */
    void answer(int status, Map<String, String> headers) {
        standing = new Answer(status, headers, status / 100 == 2 ? "ok" : "receiver says no");
    }

    /** Answers the next request with {@code status}, then goes on as before. */
    void answerNext(int status, Map<String, String> headers) {
        scripted.add(new Answer(status, headers, "scripted"));
    }

    /** Records requests but answers none until {@link #release()} (a receiver that hangs). */
    void hold() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    List<Request> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), body, System.nanoTime()));
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Answer a = scripted.poll();
            if (a == null) {
                a = standing;
            }
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), out.length);
            exchange.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        release();
        stop();
    }
}
