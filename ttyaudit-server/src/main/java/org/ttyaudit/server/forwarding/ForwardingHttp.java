package org.ttyaudit.server.forwarding;

import org.ttyaudit.server.notify.DeliveryFailures;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * The HTTP side of the forwarders that speak HTTP (Splunk HEC, Elasticsearch/OpenSearch): one JDK client per
 * forwarder (HTTP/1.1, the forwarder's connect timeout and TLS trust) and a request whose failures to connect or
 * answer become {@link ForwardException}s naming the address, never the credentials. Used by one worker thread.
 */
final class ForwardingHttp {
    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    ForwardingHttp(Duration timeout, SSLContext tls, Clock clock) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.client = b.build();
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A request builder for {@code uri} with the forwarder's timeout. */
    HttpRequest.Builder request(java.net.URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout);
    }

    /**
     * Sends {@code request} and reads at most {@code maxBodyBytes} of the answer's body (an error body is only
     * shown in part; a body the forwarder must read whole, as {@code _bulk}'s, is given a limit that fits it).
     */
    Reply send(HttpRequest request, int maxBodyBytes) throws ForwardException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new ForwardException("cannot connect to " + request.uri() + " within " + timeout.toMillis() + " ms",
                    null, e);
        } catch (HttpTimeoutException e) {
            throw new ForwardException(request.uri() + " did not answer within " + timeout.toMillis() + " ms", null,
                    e);
        } catch (IOException e) {
            throw new ForwardException("cannot " + request.method() + " to " + request.uri() + ": "
                    + DeliveryFailures.describe(e), null, e);
        }
        String text;
        try (InputStream in = response.body()) {
            text = new String(in.readNBytes(maxBodyBytes), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        return new Reply(response, text);
    }

    /** An answer: its status and (the first part of) its body as text. */
    final class Reply {
        final HttpResponse<?> response;
        final String body;

        private Reply(HttpResponse<?> response, String body) {
            this.response = response;
            this.body = body;
        }

        int status() {
            return response.statusCode();
        }

        boolean ok() {
            return status() / 100 == 2;
        }

        /** A failure to retry saying {@code what} the receiver answered, with its {@code Retry-After} if any. */
        ForwardException failure(String what) {
            return new ForwardException(request().uri() + " answered " + what,
                    DeliveryFailures.retryAfter(response, clock).orElse(null), null);
        }

        private HttpRequest request() {
            return response.request();
        }
    }
}
