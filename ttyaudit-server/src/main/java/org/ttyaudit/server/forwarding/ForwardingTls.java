package org.ttyaudit.server.forwarding;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.transport.CertificateFingerprint;
import org.ttyaudit.core.transport.PinnedTls;
import org.ttyaudit.server.notify.TrustedCertificates;

import javax.net.ssl.SSLContext;

/**
 * The trust of a forwarder that uses TLS: the JDK's authorities plus a {@code ca_file} (host names checked), or
 * exactly one certificate pinned by {@code fingerprint: sha256:HEX} (the pin is the receiver's identity; the host
 * name is not checked, as for {@code ttyaudit enroll --fingerprint}). Stateless.
 */
final class ForwardingTls {
    private ForwardingTls() {
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
