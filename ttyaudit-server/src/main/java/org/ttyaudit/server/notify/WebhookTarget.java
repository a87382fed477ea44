package org.ttyaudit.server.notify;

import org.ttyaudit.core.config.ConfigNode;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A webhook: notifications are POSTed to {@code url} as JSON, either the {@link AlertNotice} itself
 * ({@link Format#JSON}) or a Slack-compatible message ({@link Format#SLACK}), with extra {@code headers}
 * (typically an authorization token from the environment or a file).
 *
 * @param url     http(s) URL; plain http only to this host, or with {@code allow_insecure}
 * @param headers header name → value, secrets resolved
 * @param tls     the trust for https (the JDK's authorities, plus {@code ca_file})
 */
public record WebhookTarget(String name, URI url, Format format, Map<String, String> headers, Duration timeout,
                            SSLContext tls) implements NotifyTarget {
    static final List<String> KEYS = List.of("name", "type", "url", "format", "headers", "timeout", "ca_file",
            "allow_insecure");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The body a webhook gets. */
    public enum Format { JSON, SLACK }

    public WebhookTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(tls, "tls");
    }

    static WebhookTarget parse(ConfigNode t, String name, UnaryOperator<String> env) {
        t.allowOnly(KEYS);
        String urlText = SettingValues.optionalSecret(t, "url", env)
                .orElseThrow(() -> t.error("target " + name + ": missing 'url'"));
        URI url;
        try {
            url = new URI(urlText);
        } catch (URISyntaxException e) {
            // the URL may carry a token (a Slack hook does): name the problem, not the URL
            throw t.require("url").error("url: not a valid URL (" + e.getReason() + ")");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            throw t.require("url").error("url: expected an http:// or https:// URL with a host");
        }
        if (scheme.equals("http")) {
            NotifyTarget.requireEncryptionOffHost(t, t.require("url"), url.getHost(), "webhook " + name + " (http://)");
            if (t.get("ca_file").isPresent()) {
                throw t.require("ca_file").error("ca_file: only for https:// URLs");
            }
        }
        Format format = Format.valueOf(t.choice("format", "json", List.of("json", "slack"))
                .toUpperCase(Locale.ROOT));
        Map<String, String> headers = new LinkedHashMap<>();
        ConfigNode h = t.mapping("headers");
        for (String header : h.keys()) {
            String value = SettingValues.secret(h.require(header), "headers." + header, env);
            try {
                HttpRequest.newBuilder(URI.create("http://localhost/")).header(header, value);
            } catch (IllegalArgumentException e) {
                throw h.require(header).error("headers." + header + ": not a header ttyaudit can send ("
                        + (e.getMessage() != null && e.getMessage().contains("restricted") ? "the HTTP client sets it"
                        : "invalid name or value") + ")");
            }
            if (header.equalsIgnoreCase("content-type")) {
                throw h.require(header).error("headers." + header + ": ttyaudit sets it (application/json)");
            }
            headers.put(header, value);
        }
        Duration timeout = SettingValues.duration(t, "timeout", DEFAULT_TIMEOUT, Duration.ofMillis(100),
                Duration.ofMinutes(5));
        return new WebhookTarget(name, url, format, headers, timeout, TrustedCertificates.context(t));
    }

    /** Where the webhook is, without path, query or credentials: the part that may appear in logs. */
    public String endpoint() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    }

    @Override
    public String toString() {
        return "webhook " + name + " (" + format.name().toLowerCase(Locale.ROOT) + " to " + endpoint() + ", headers "
                + headers.keySet() + ")";
    }
}
