package org.ttyaudit.server.forwarding;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.policy.ByteSize;
import org.ttyaudit.server.notify.DeliveryFailures;
import org.ttyaudit.server.notify.NotifyTarget;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of the forwarders that speak HTTP (Splunk HEC, Elasticsearch/OpenSearch): one JDK client per
 * forwarder (HTTP/1.1, the forwarder's connect timeout and TLS trust) and a request whose failures to connect or
 * answer become {@link ForwardException}s naming the address, never the credentials. Used by one worker thread.
 */
final class ForwardingHttp {
    /**
     * {@code max_batch_bytes} when not set: Elastic's guidance for a bulk request is 5–15 MB, and 5 MiB stays
     * under the limits usually met in front of a receiver (Splunk HEC's old 1 MB default aside: set it there).
     */
    static final long DEFAULT_MAX_BATCH_BYTES = 5L << 20;
    private static final long MIN_BATCH_BYTES = 1L << 10;
    private static final long MAX_BATCH_BYTES = 1L << 30;
    private static final Pattern HTML_TITLE = Pattern.compile("<title>([^<]*)</title>", Pattern.CASE_INSENSITIVE);
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

    /**
     * The {@code url} of the forwarder {@code f}: {@code http(s)://HOST:PORT[/PATH]} of {@code receiver}, without
     * credentials (they are keys of their own, kept out of logs) or query; {@code http://} only to this host or
     * with {@code allow_insecure: true}, and then without {@code ca_file} or {@code fingerprint}.
     */
    static URI url(ConfigNode f, String name, String receiver) {
        URI url;
        try {
            url = new URI(f.text("url"));
        } catch (URISyntaxException e) {
            throw f.require("url").error("url: not a valid URL (" + e.getReason() + ")");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null || url.getUserInfo() != null
                || url.getQuery() != null) {
            throw f.require("url").error("url: expected http(s)://HOST:PORT[/PATH] of " + receiver + ", without"
                    + " credentials or query");
        }
        if (scheme.equals("http")) {
            NotifyTarget.requireEncryptionOffHost(f, f.require("url"), url.getHost(), "forwarder " + name
                    + " (http://)");
            for (String key : List.of("ca_file", "fingerprint")) {
                if (f.get(key).isPresent()) {
                    throw f.require(key).error(key + ": only for https:// URLs");
                }
            }
        }
        return url;
    }

    /**
     * {@code max_batch_bytes} of the forwarder {@code f}: the most a request body of several documents may hold
     * ({@code 5MiB}, {@code 1048576}; 1 KiB to 1 GiB). A larger batch is sent in several requests.
     */
    static long maxBatchBytes(ConfigNode f) {
        if (f.get("max_batch_bytes").isEmpty()) {
            return DEFAULT_MAX_BATCH_BYTES;
        }
        long bytes;
        try {
            bytes = ByteSize.parse(f.text("max_batch_bytes"));
        } catch (IllegalArgumentException e) {
            throw f.require("max_batch_bytes").error("max_batch_bytes: " + e.getMessage());
        }
        if (bytes < MIN_BATCH_BYTES || bytes > MAX_BATCH_BYTES) {
            throw f.require("max_batch_bytes").error("max_batch_bytes: " + f.text("max_batch_bytes")
                    + " is outside 1KiB..1GiB");
        }
        return bytes;
    }

    /** A request builder for {@code uri} with the forwarder's timeout. */
    HttpRequest.Builder request(URI uri) {
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

        /**
         * The body as a reason to show: an HTML page (a proxy's error page, nginx's "413 Request Entity Too
         * Large") by its title, anything else as it is.
         */
        String shownBody() {
            String text = body.strip();
            if (text.startsWith("<")) {
                Matcher title = HTML_TITLE.matcher(text);
                return title.find() ? title.group(1).strip() : "";
            }
            return text;
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
