package org.ttyaudit.server.blob.s3;

import org.ttyaudit.server.blob.BlobStoreException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Builds the SDK's S3 client for {@link S3Settings}: the JDK's URLConnection HTTP client (no Netty, no Apache
 * client: a lean jar), connect and per-attempt timeouts, the SDK's standard retry strategy (exponential backoff
 * with jitter on 5xx, throttling and connection errors), and TLS trusting only {@code ca_file}'s CAs when given
 * (else the JVM's), with host name verification left on.
 *
 * <p>The SDK's own flexible checksums are asked for only where an operation requires them: S3-compatible servers
 * differ in which trailing checksums they accept; every PUT carries a Content-MD5 instead, which they all check
 * (see {@link S3BlobStore}).
 */
final class S3Clients {
    private S3Clients() {
    }

    static S3Client build(S3Settings s) {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(s.connectTimeout())
                .socketTimeout(s.requestTimeout());
        if (s.caFile() != null) {
            TrustManager[] trust = trustManagers(s);
            http.tlsTrustManagersProvider(() -> trust);
        }
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(http)
                .region(Region.of(s.region()))
                .forcePathStyle(s.pathStyle())
                .credentialsProvider(credentials(s))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(s.requestTimeout())
                        // every attempt, plus the backoff between them (the standard strategy's is at most 20 s)
                        .apiCallTimeout(s.requestTimeout().plusSeconds(20).multipliedBy(s.maxAttempts()))
                        .retryStrategy(r -> r.maxAttempts(s.maxAttempts()))
                        .build());
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint());
        }
        return b.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings s) {
        if (s.accessKeyId() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKeyId(),
                s.secretAccessKey().value()));
    }

    /** Trust managers that trust the certificates of {@code ca_file} (PEM, one or more) and nothing else. */
    private static TrustManager[] trustManagers(S3Settings s) {
        try (InputStream in = Files.newInputStream(s.caFile())) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new BlobStoreException("blobs: ca_file " + s.caFile() + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("ca-" + n++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new BlobStoreException("blobs: ca_file " + s.caFile() + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
    }
}
