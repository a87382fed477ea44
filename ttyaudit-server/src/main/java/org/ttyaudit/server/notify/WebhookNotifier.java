package org.ttyaudit.server.notify;

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
import java.util.Optional;

/**
 * POSTs notices to a {@link WebhookTarget}: a 2xx answer is delivery; any other status (redirects are not
 * followed), a timeout or a network error is a {@link DeliveryException} with the status or the error, and the
 * receiver's {@code Retry-After} (seconds or an HTTP date). Errors name the target and its endpoint (scheme, host,
 * port), never the full URL or a header value, which may be secrets.
 */
final class WebhookNotifier implements Notifier {
    /** Of an error answer's body, this much goes into the error message (receivers often say what was wrong). */
    private static final int ERROR_BODY_CHARS = 200;

    private final WebhookTarget target;
    private final HttpClient client;
    private final Clock clock;

    WebhookNotifier(WebhookTarget target, Clock clock) {
        this.target = target;
        this.clock = clock;
        HttpClient.Builder client = HttpClient.newBuilder().sslContext(target.tls())
                .connectTimeout(target.timeout()).followRedirects(HttpClient.Redirect.NEVER);
        if (!"https".equalsIgnoreCase(target.url().getScheme())) {
            // without TLS the JDK client would offer an h2c upgrade on every POST, which some receivers and
            // proxies refuse; over TLS, HTTP/2 is negotiated (ALPN) or not, harmlessly
            client.version(HttpClient.Version.HTTP_1_1);
        }
        this.client = client.build();
    }

    /** The body for the target's format. */
    static String body(WebhookTarget.Format format, AlertNotice notice) {
        return format == WebhookTarget.Format.SLACK ? SlackMessage.body(notice) : notice.toJson();
    }

    @Override
    public void deliver(AlertNotice notice) throws DeliveryException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url()).timeout(target.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body(target.format(), notice), StandardCharsets.UTF_8));
        target.headers().forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new DeliveryException("cannot connect to " + target.endpoint() + " within " + target.timeout()
                    .toMillis() + " ms", null, e);
        } catch (HttpTimeoutException e) {
            throw new DeliveryException(target.endpoint() + " did not answer within " + target.timeout().toMillis()
                    + " ms", null, e);
        } catch (IOException e) {
            throw new DeliveryException("cannot POST to " + target.endpoint() + ": " + describe(e), null, e);
        }
        String start = readStart(response.body());
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new DeliveryException(target.endpoint() + " answered HTTP " + status + (start.isBlank() ? ""
                    : ": " + Rfc5424Formatter.clean(start.strip())), retryAfter(response).orElse(null), null);
        }
    }

    /** The first characters of the answer's body; the rest is discarded (closing the stream releases it). */
    private static String readStart(InputStream body) {
        try (body) {
            byte[] bytes = body.readNBytes(ERROR_BODY_CHARS);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return DeliveryFailures.retryAfter(response, clock);
    }

    /** As {@link DeliveryFailures#describe}. */
    static String describe(IOException e) {
        return DeliveryFailures.describe(e);
    }

    @Override
    public void close() {
        // HttpClient (JDK 17) has no close; its connections go with it. A send in progress ends by its timeout.
    }
}
