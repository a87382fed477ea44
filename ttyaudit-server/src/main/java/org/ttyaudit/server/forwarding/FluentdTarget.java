package org.ttyaudit.server.forwarding;

import org.ttyaudit.core.config.ConfigNode;

import javax.net.ssl.SSLContext;
import java.time.Clock;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Fluentd (or Fluent Bit) {@code forward} input: documents are sent in Forward mode with acknowledgements
 * ({@link FluentdForwarder}) over TCP or TLS.
 *
 * @param tag the Fluentd tag of every event (routing in the receiver's configuration)
 * @param tls null for plain TCP
 */
public record FluentdTarget(ForwarderSettings settings, String host, int port, SSLContext tls, String tag)
        implements ForwarderTarget {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    public FluentdTarget {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tag, "tag");
    }

    static FluentdTarget parse(ConfigNode f, String name) {
        f.allowOnly(ForwardingSettings.keys("host", "port", "protocol", "tag", "ca_file", "fingerprint",
                "allow_insecure"));
        String host = f.text("host");
        SSLContext context = ForwardingTls.streamTls(f, name, host);
        boolean tls = context != null;
        int port = (int) f.number("port", 24224, 1, 65535);
        String tag = f.text("tag", "ttyaudit");
        if (!TAG.matcher(tag).matches()) {
            throw f.require("tag").error("tag: letters, digits, '_', '.' and '-', at most 128");
        }
        ForwarderSettings common = ForwardingSettings.common(f, name, "fluentd", (tls ? "tls" : "tcp") + "://"
                + host + ":" + port);
        return new FluentdTarget(common, host, port, context, tag);
    }

    @Override
    public Forwarder open(Clock clock) {
        return new FluentdForwarder(this);
    }

    @Override
    public String toString() {
        return "fluentd forwarder " + settings.name() + " (" + settings.address() + ", tag " + tag + ")";
    }
}
