package org.ttyaudit.core.transport;

import java.security.cert.CertificateException;

/**
 * The server showed a certificate other than the pinned one: a different server, a changed certificate, or
 * someone in between. Thrown by the pinned trust manager during the TLS handshake; callers find it in the cause
 * chain of the handshake failure ({@link PinnedTls#describeFailure}).
 */
public final class FingerprintMismatchException extends CertificateException {
    private final transient CertificateFingerprint pinned;
    private final transient CertificateFingerprint presented;

    public FingerprintMismatchException(CertificateFingerprint pinned, CertificateFingerprint presented) {
        super("the server's certificate has fingerprint " + presented + ", but " + pinned + " is pinned "
                + "(another server, a new certificate, or someone in between)");
        this.pinned = pinned;
        this.presented = presented;
    }

    public CertificateFingerprint pinned() {
        return pinned;
    }

    public CertificateFingerprint presented() {
        return presented;
    }
}
