package org.ttyaudit.server.notify;

import org.ttyaudit.core.config.ConfigNode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;

/**
 * The TLS context of a target: the JDK's trusted authorities, plus the certificates of the target's
 * {@code ca_file} (PEM) when it has one, for receivers whose certificate an in-house authority signed. Host names
 * are always checked against the certificate (the HTTP client does it; the syslog sender asks for it). Stateless.
 */
public final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /**
     * The context for the target {@code target}: the JDK's default, or one that also trusts the {@code ca_file}
     * under it.
     *
     * @throws org.ttyaudit.core.config.ConfigException at {@code ca_file} when the file cannot be read or holds no
     *                                                  certificate
     */
    public static SSLContext context(ConfigNode target) {
        Optional<ConfigNode> caNode = target.get("ca_file");
        try {
            if (caNode.isEmpty()) {
                return SSLContext.getDefault();
            }
            Path file = SettingValues.path(target, target.text("ca_file"));
            Collection<? extends Certificate> extra;
            try (InputStream in = Files.newInputStream(file)) {
                extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (IOException e) {
                throw caNode.get().error("ca_file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            } catch (GeneralSecurityException e) {
                throw caNode.get().error("ca_file: " + file + " is not a PEM certificate file: " + e.getMessage());
            }
            if (extra.isEmpty()) {
                throw caNode.get().error("ca_file: " + file + " holds no certificate (BEGIN CERTIFICATE)");
            }
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate c : defaultTrustManager().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jdk-" + n++, c);
            }
            for (Certificate c : extra) {
                anchors.setCertificateEntry("ca-file-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            // the JDK's own TLS and PKCS12 support, which every supported JDK has
            throw new IllegalStateException("cannot set up TLS for notifications: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
    }
}
