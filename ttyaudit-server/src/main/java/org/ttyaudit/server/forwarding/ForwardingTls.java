package org.ttyaudit.server.forwarding;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.transport.CertificateFingerprint;
import org.ttyaudit.core.transport.PinnedTls;
import org.ttyaudit.server.notify.NotifyTarget;
import org.ttyaudit.server.notify.TrustedCertificates;

import javax.net.ssl.SSLContext;
import java.util.List;

/**
 * The trust of a forwarder that uses TLS: the JDK's authorities plus a {@code ca_file} (host names checked), or
 * exactly one certificate pinned by {@code fingerprint: sha256:HEX} (the pin is the receiver's identity; the host
 * name is not checked, as for {@code ttyaudit enroll --fingerprint}). Stateless.
 */
final class ForwardingTls {
    private ForwardingTls() {
    }

    /**
     * The {@code protocol} of a stream forwarder ({@code tls}, the default, or {@code tcp}) and its trust: the
     * TLS context, or null for plain TCP, which is refused off this host unless {@code allow_insecure: true}
     * (and which takes no {@code ca_file} or {@code fingerprint}).
     */
    static SSLContext streamTls(ConfigNode f, String name, String host) {
        if (f.choice("protocol", "tls", List.of("tcp", "tls")).equals("tls")) {
            return context(f);
        }
        NotifyTarget.requireEncryptionOffHost(f, f.require("protocol"), host, "forwarder " + name + " over tcp");
        for (String key : List.of("ca_file", "fingerprint")) {
            if (f.get(key).isPresent()) {
                throw f.require(key).error(key + ": only for protocol: tls");
            }
        }
        return null;
    }

    /** The context for the forwarder {@code f}; errors point at the key. */
    static SSLContext context(ConfigNode f) {
        if (f.get("fingerprint").isEmpty()) {
            return TrustedCertificates.context(f);
        }
        if (f.get("ca_file").isPresent()) {
            throw f.require("fingerprint").error("fingerprint: give either ca_file or fingerprint, not both");
        }
        try {
            return PinnedTls.pinned(CertificateFingerprint.parse(f.text("fingerprint"))).sslContext();
        } catch (IllegalArgumentException e) {
            throw f.require("fingerprint").error("fingerprint: " + e.getMessage());
        }
    }
}
