package org.ttyaudit.core.transport;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS settings for a {@link HttpClient} that talks to one ttyaudit server: either the server's certificate is
 * <b>pinned</b> by its {@link CertificateFingerprint} (a self-signed server; docs/INGEST.md), or it is checked the
 * usual way against the system's CAs with HTTPS hostname verification.
 *
 * <p>With a pin, exactly the certificate with that fingerprint is accepted and nothing else, not even one a CA
 * vouches for. The pin is then the server's identity, so the host name is <em>not</em> checked (see
 * {@link PinnedTrustManager} for why and how this stays limited to clients built from this object).
 *
 * <p>Immutable and thread-safe; one instance can configure any number of clients.
 *
 * <p>Failure modes: a handshake with the wrong certificate fails with an {@link SSLHandshakeException} whose
 * cause chain holds a {@link FingerprintMismatchException} (pinned) or a {@link CertificateException} naming the
 * presented certificate's fingerprint (system trust); {@link #describeFailure} turns either into one line.
 */
public final class PinnedTls {
    private final CertificateFingerprint pin;
    private final SSLContext context;
    private final SSLParameters parameters;

    private PinnedTls(CertificateFingerprint pin, X509ExtendedTrustManager trust) {
        this.pin = pin;
        try {
            this.context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context: " + e.getMessage(), e);
        }
        this.parameters = context.getDefaultSSLParameters();
        if (pin == null) {
            // HttpClient asks for this too; set it here so hostname verification never depends on that default.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
    }

    /** Trust exactly the certificate with fingerprint {@code pin}. */
    public static PinnedTls pinned(CertificateFingerprint pin) {
        return new PinnedTls(pin, new PinnedTrustManager(pin));
    }

    /** Trust the system's CAs, with HTTPS hostname verification. */
    public static PinnedTls systemTrust() {
        return trusting(null);
    }

    /**
     * {@link #pinned} when {@code fingerprint} is given, else {@link #systemTrust()}.
     *
     * @throws IllegalArgumentException when {@code fingerprint} is not {@code sha256:<64 hex digits>}
     */
    public static PinnedTls of(String fingerprint) {
        return fingerprint == null || fingerprint.isBlank() ? systemTrust()
                : pinned(CertificateFingerprint.parse(fingerprint));
    }

    /** Trust the CAs of {@code trustStore} (null: the system's), with hostname verification; for tests. */
    static PinnedTls trusting(KeyStore trustStore) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(trustStore);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return new PinnedTls(null, new NamingTrustManager(x));
                }
            }
            throw new IllegalStateException("the JDK's default trust manager is not an X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the system's trusted CAs: " + e.getMessage(), e);
        }
    }

    /** The pinned fingerprint, empty when the system's CAs are trusted. */
    public Optional<CertificateFingerprint> pin() {
        return Optional.ofNullable(pin);
    }

    public SSLContext sslContext() {
        return context;
    }

    /** A copy of the TLS parameters clients should use. */
    public SSLParameters sslParameters() {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setEndpointIdentificationAlgorithm(parameters.getEndpointIdentificationAlgorithm());
        return p;
    }

    /** Sets this TLS configuration on {@code builder} and returns it. */
    public HttpClient.Builder configure(HttpClient.Builder builder) {
        return builder.sslContext(context).sslParameters(sslParameters());
    }

    /**
     * One line saying why a TLS connection failed, when {@code failure} (or a cause of it) is a certificate
     * problem: a fingerprint mismatch names both fingerprints, an untrusted certificate names its fingerprint.
     */
    public static Optional<String> describeFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FingerprintMismatchException m) {
                return Optional.of(m.getMessage());
            }
            if (t instanceof UntrustedCertificateException u) {
                return Optional.of(u.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return Optional.of("TLS handshake failed: " + t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private static CertificateFingerprint fingerprintOf(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        try {
            return CertificateFingerprint.of(chain[0]);
        } catch (CertificateEncodingException e) {
            throw new CertificateException("the server's certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts exactly the pinned certificate (the first of the chain the server presents; the rest of the chain,
     * its validity dates and the host name are irrelevant once the exact certificate is known).
     *
     * <p>Why the host name is not checked: a self-signed server certificate rarely names the address clients
     * use (an IP address, a name behind NAT), and matching it would add nothing — the only certificate accepted
     * is the one the administrator copied from the server's own start-up output. The check is skipped by this
     * trust manager alone: HttpClient asks every engine for HTTPS endpoint identification, and JSSE leaves that
     * check to an {@link X509ExtendedTrustManager} (it only adds it itself around plain {@link X509TrustManager}s).
     * So clients configured with system trust, and all other clients in the JVM, keep normal hostname
     * verification; the global switch {@code jdk.internal.httpclient.disableHostnameVerification} is never used.
     */
    private static final class PinnedTrustManager extends X509ExtendedTrustManager {
        private final CertificateFingerprint pin;

        PinnedTrustManager(CertificateFingerprint pin) {
            this.pin = pin;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            byte[] der = chain[0].getEncoded();
            if (!pin.matches(der)) {
                throw new FingerprintMismatchException(pin, CertificateFingerprint.ofDer(der));
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** A certificate the system's trust (or the host name check) refused, with its fingerprint for pinning. */
    static final class UntrustedCertificateException extends CertificateException {
        UntrustedCertificateException(CertificateFingerprint presented, CertificateException cause) {
            super("the server's certificate (" + presented + ") is not trusted: " + cause.getMessage()
                    + "; if the server uses a self-signed certificate, pin it with --fingerprint "
                    + "(the server prints its fingerprint at start-up)", cause);
        }
    }

    /**
     * The system's trust manager, unchanged in what it accepts (CA chain and, through the engine's parameters,
     * the host name), but a refusal names the presented certificate's fingerprint so the user can compare it
     * with the one the server prints.
     */
    private static final class NamingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        NamingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        private interface Check {
            void run() throws CertificateException;
        }

        private static void named(X509Certificate[] chain, Check check) throws CertificateException {
            try {
                check.run();
            } catch (CertificateException e) {
                throw new UntrustedCertificateException(fingerprintOf(chain), e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            named(chain, () -> delegate.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            named(chain, () -> delegate.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            named(chain, () -> delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
