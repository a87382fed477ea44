package org.ttyaudit.server.forwarding;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.server.notify.SyslogTarget;

import javax.net.ssl.SSLContext;
import java.time.Clock;
import java.util.Objects;

/**
 * A syslog receiver for forwarding: RFC 5424 messages ({@link SyslogForwarder}) over TCP with octet counting
 * (RFC 6587) or TLS (RFC 5425).
 *
 * @param tls        null for plain TCP
 * @param facility   the syslog facility code (0–23)
 * @param hostname   the HOSTNAME field (this server's name unless the settings give one)
 * @param maxMessage the longest message sent; a longer one has its MSG (the JSON document) cut
 */
public record SyslogForwarderTarget(ForwarderSettings settings, String host, int port, SSLContext tls, int facility,
                                    String hostname, String sdId, int maxMessage) implements ForwarderTarget {
    /** rsyslog takes 8 KiB by default ({@code global(maxMessageSize=…)}); documents are larger at times. */
    static final int DEFAULT_MAX_MESSAGE = 64 * 1024;

    public SyslogForwarderTarget {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(sdId, "sdId");
    }

    static SyslogForwarderTarget parse(ConfigNode f, String name) {
        f.allowOnly(ForwardingSettings.keys("host", "port", "protocol", "ca_file", "fingerprint", "allow_insecure",
                "facility", "hostname", "sd_id", "max_message"));
        String host = f.text("host");
        SSLContext context = ForwardingTls.streamTls(f, name, host);
        boolean tls = context != null;
        int port = (int) f.number("port", tls ? 6514 : 601, 1, 65535);
        int maxMessage = (int) f.number("max_message", DEFAULT_MAX_MESSAGE, 2048, 16 * 1024 * 1024);
        ForwarderSettings common = ForwardingSettings.common(f, name, "syslog", (tls ? "tls" : "tcp") + "://"
                + host + ":" + port);
        return new SyslogForwarderTarget(common, host, port, context,
                SyslogTarget.facility(f, "auth"), SyslogTarget.hostname(f), SyslogTarget.sdId(f), maxMessage);
    }

    @Override
    public Forwarder open(Clock clock) {
        return new SyslogForwarder(this);
    }

    @Override
    public String toString() {
        return "syslog forwarder " + settings.name() + " (" + settings.address() + ")";
    }
}
