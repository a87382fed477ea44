package org.ttyaudit.server.forwarding;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.server.notify.SettingValues;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An Elasticsearch or OpenSearch cluster: documents go to {@code url + /_bulk} into {@link IndexName index}, with
 * the composable index template {@code template} (mapping the ECS fields) put first.
 *
 * @param base          the cluster's URL without a trailing slash (a path is kept: a proxy may serve it under one)
 * @param authorization the {@code Authorization} header ({@code Basic …} or {@code ApiKey …}), null for none;
 *                      never logged or shown
 * @param tls           the trust for https (null for http)
 * @param maxBatchBytes the most bytes a {@code _bulk} request of several documents holds ({@code max_batch_bytes})
 */
public record ElasticsearchTarget(ForwarderSettings settings, URI base, IndexName index, String template,
                                  String authorization, SSLContext tls, long maxBatchBytes)
        implements ForwarderTarget {
    static final String DEFAULT_INDEX = "ttyaudit-%{+yyyy.MM.dd}";

    public ElasticsearchTarget {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(template, "template");
        if (maxBatchBytes < 1) {
            throw new IllegalArgumentException("max batch bytes must be positive: " + maxBatchBytes);
        }
    }

    static ElasticsearchTarget parse(ConfigNode f, String name, UnaryOperator<String> env) {
        f.allowOnly(ForwardingSettings.keys("url", "index", "template", "user", "password", "api_key", "ca_file",
                "fingerprint", "allow_insecure", "max_batch_bytes"));
        URI url = ForwardingHttp.url(f, name, "the cluster");
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        URI base = URI.create(scheme + "://" + url.getRawAuthority() + path);
        IndexName index;
        try {
            index = IndexName.parse(f.text("index", DEFAULT_INDEX));
        } catch (IllegalArgumentException e) {
            throw f.require("index").error("index: " + e.getMessage());
        }
        String template = f.text("template", "ttyaudit");
        if (!template.matches("[a-z0-9][a-z0-9_.-]{0,254}")) {
            throw f.require("template").error("template: '" + template + "' must be lowercase letters, digits, '_',"
                    + " '.' or '-'");
        }
        ForwarderSettings common = ForwardingSettings.common(f, name, "elasticsearch", base.toString());
        return new ElasticsearchTarget(common, base, index, template, authorization(f, env),
                scheme.equals("https") ? ForwardingTls.context(f) : null, ForwardingHttp.maxBatchBytes(f));
    }

    /** {@code user:} with {@code password:} (HTTP basic), or {@code api_key:} (its encoded form), or neither. */
    private static String authorization(ConfigNode f, UnaryOperator<String> env) {
        boolean user = f.get("user").isPresent();
        boolean password = f.get("password").isPresent();
        if (f.get("api_key").isPresent()) {
            if (user || password) {
                throw f.require("api_key").error("api_key: give either api_key or user and password, not both");
            }
            return "ApiKey " + SettingValues.secret(f.require("api_key"), "api_key", env);
        }
        if (user != password) {
            throw f.require(user ? "user" : "password").error((user ? "user" : "password")
                    + ": give user and password together");
        }
        if (!user) {
            return null;
        }
        String pair = f.text("user") + ":" + SettingValues.secret(f.require("password"), "password", env);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    URI bulkUri() {
        // only what the forwarder reads: the answer to a batch of 10,000 stays small
        return URI.create(base + "/_bulk?filter_path=errors,items.*.status,items.*.error");
    }

    URI templateUri() {
        return URI.create(base + "/_index_template/" + template);
    }

    @Override
    public Forwarder open(Clock clock) {
        return new ElasticsearchForwarder(this, clock);
    }

    @Override
    public String toString() {
        return "elasticsearch forwarder " + settings.name() + " (" + base + ")";
    }
}
