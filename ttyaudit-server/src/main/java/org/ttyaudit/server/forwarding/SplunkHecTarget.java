package org.ttyaudit.server.forwarding;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.server.notify.NotifyTarget;
import org.ttyaudit.server.notify.SettingValues;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URISyntaxException;
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
 */
public record SplunkHecTarget(ForwarderSettings settings, URI endpoint, String token, String index, String source,
                              String sourcetype, SSLContext tls) implements ForwarderTarget {
    static final String EVENT_PATH = "/services/collector/event";

    public SplunkHecTarget {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourcetype, "sourcetype");
    }

    static SplunkHecTarget parse(ConfigNode f, String name, UnaryOperator<String> env) {
        f.allowOnly(ForwardingSettings.keys("url", "token", "index", "source", "sourcetype", "ca_file", "fingerprint",
                "allow_insecure"));
        URI url;
        try {
            url = new URI(f.text("url"));
        } catch (URISyntaxException e) {
            throw f.require("url").error("url: not a valid URL (" + e.getReason() + ")");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null || url.getUserInfo() != null
                || url.getQuery() != null) {
            throw f.require("url").error("url: expected http(s)://HOST:PORT[/PATH] of the collector, without"
                    + " credentials or query");
        }
        if (scheme.equals("http")) {
            NotifyTarget.requireEncryptionOffHost(f, f.require("url"), url.getHost(), "forwarder " + name
                    + " (http://)");
            for (String key : new String[] {"ca_file", "fingerprint"}) {
                if (f.get(key).isPresent()) {
                    throw f.require(key).error(key + ": only for https:// URLs");
                }
            }
        }
        String path = url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/") ? EVENT_PATH
                : url.getPath();
        URI endpoint = URI.create(scheme + "://" + url.getRawAuthority() + path);
        String token = SettingValues.secret(f.require("token"), "token", env);
        ForwarderSettings common = ForwardingSettings.common(f, name, "splunk_hec", endpoint.toString());
        return new SplunkHecTarget(common, endpoint, token, f.text("index", null), f.text("source", "ttyaudit"),
                f.text("sourcetype", "_json"), scheme.equals("https") ? ForwardingTls.context(f) : null);
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
