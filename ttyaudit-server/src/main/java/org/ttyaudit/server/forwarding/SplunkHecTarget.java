package org.ttyaudit.server.forwarding;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.server.notify.SettingValues;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A Splunk HTTP Event Collector: documents are POSTed to {@code endpoint} ({@code url} plus
 * {@code /services/collector/event} when the URL has no path) with the header {@code Authorization: Splunk TOKEN}.
 *
 * @param token      the HEC token (from {@code {env: …}} or {@code {file: …}}; never logged or shown)
 * @param index      the index events go to; null for the token's default
 * @param source     the events' {@code source}
 * @param sourcetype the events' {@code sourcetype}
 * @param tls        the trust for https (null for http)
 * @param maxBatchBytes the most bytes a request of several events holds ({@code max_batch_bytes})
 */
public record SplunkHecTarget(ForwarderSettings settings, URI endpoint, String token, String index, String source,
                              String sourcetype, SSLContext tls, long maxBatchBytes) implements ForwarderTarget {
    static final String EVENT_PATH = "/services/collector/event";

    public SplunkHecTarget {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourcetype, "sourcetype");
        if (maxBatchBytes < 1) {
            throw new IllegalArgumentException("max batch bytes must be positive: " + maxBatchBytes);
        }
    }

    static SplunkHecTarget parse(ConfigNode f, String name, UnaryOperator<String> env) {
        f.allowOnly(ForwardingSettings.keys("url", "token", "index", "source", "sourcetype", "ca_file", "fingerprint",
                "allow_insecure", "max_batch_bytes"));
        URI url = ForwardingHttp.url(f, name, "the collector");
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String path = url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/") ? EVENT_PATH
                : url.getPath();
        URI endpoint = URI.create(scheme + "://" + url.getRawAuthority() + path);
        String token = SettingValues.secret(f.require("token"), "token", env);
        ForwarderSettings common = ForwardingSettings.common(f, name, "splunk_hec", endpoint.toString());
        return new SplunkHecTarget(common, endpoint, token, f.text("index", null), f.text("source", "ttyaudit"),
                f.text("sourcetype", "_json"), scheme.equals("https") ? ForwardingTls.context(f) : null,
                ForwardingHttp.maxBatchBytes(f));
    }

    @Override
    public Forwarder open(Clock clock) {
        return new SplunkHecForwarder(this, clock);
    }

    @Override
    public String toString() {
        return "splunk_hec forwarder " + settings.name() + " (" + endpoint + ")";
    }
}
