package org.ttyaudit.core.transport;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throwaway self-signed server certificate made by the JDK's {@code keytool} in a test's temporary directory,
 * and HTTPS servers that present it. Shared with the recorder and CLI tests (core's test jar).
 */
public final class SelfSignedCertificate {
    /** The throwaway key store's password: it protects nothing outside one test's temp directory. */
    private static final char[] PASSWORD = "test-only".toCharArray();

    private final KeyStore keyStore;
    private final X509Certificate certificate;

    private SelfSignedCertificate(KeyStore keyStore, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    /**
     * Runs {@code keytool -genkeypair} in {@code dir} for a certificate with subject {@code CN=commonName} and
     * the given subject alternative names ({@code dns:localhost}, {@code ip:127.0.0.1}; none when empty).
     */
    public static SelfSignedCertificate generate(Path dir, String commonName, String... subjectAltNames)
            throws IOException, GeneralSecurityException, InterruptedException {
        Path store = Files.createTempFile(dir, "server-", ".p12");
        Files.delete(store); // keytool creates it
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> cmd = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + commonName, "-validity", "2", "-storetype",
                "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass",
                new String(PASSWORD)));
        if (subjectAltNames.length > 0) {
            cmd.add("-ext");
            cmd.add("san=" + String.join(",", subjectAltNames));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        return new SelfSignedCertificate(ks, (X509Certificate) ks.getCertificate("server"));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public CertificateFingerprint fingerprint() {
        try {
            return CertificateFingerprint.of(certificate);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key store that trusts this certificate as a CA (for testing the system-trust path). */
    public KeyStore asTrustStore() throws GeneralSecurityException, IOException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("server", certificate);
        return ts;
    }

    /** The server side's TLS context presenting this certificate. */
    public SSLContext serverContext() throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** An HTTPS server on a free loopback port presenting this certificate; not started yet. */
    public HttpsServer httpsServer() throws IOException, GeneralSecurityException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        return server;
    }
}
