package org.ttyaudit.server.notify;

import org.ttyaudit.server.tls.ServerCertificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.List;

/**
 * A self-signed certificate for a test's TLS receiver (naming localhost, 127.0.0.1 and ::1), made by the server's
 * own {@link ServerCertificate}: the TLS context the receiver serves with, and the PEM file a target's
 * {@code ca_file} names to trust it.
 */
record ReceiverCertificate(SSLContext serverTls, Path caFile) {

    static ReceiverCertificate create(Path dir) throws Exception {
        ServerCertificate cert = ServerCertificate.loadOrCreateSelfSigned(dir, List.of());
        char[] password = "changeit".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(cert.toKeyStore(password), password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return new ReceiverCertificate(context, dir.resolve(ServerCertificate.DIRECTORY)
                .resolve(ServerCertificate.CERT_FILE));
    }
}
