package org.ttyaudit.server.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The server's TLS identity: a certificate chain (leaf first) and the leaf's private key.
 *
 * <p>Either {@link #load} reads an operator's PEM files ({@code --tls-cert}, {@code --tls-key}), or
 * {@link #loadOrCreateSelfSigned} makes, on first start, a self-signed certificate in {@code DATA/tls/} (EC P-256,
 * valid {@link #SELF_SIGNED_VALIDITY}, names {@code localhost}, {@code 127.0.0.1}, {@code ::1}, the host name
 * and any given) and reuses it on every later start, so the fingerprint clients pinned stays valid. The key file
 * is created with mode 0600 from the start (never briefly readable by others) and appears atomically.
 *
 * <p>{@link #fingerprint()} is the pinning contract of docs/INGEST.md: {@code sha256:} and the lower-case hex
 * SHA-256 of the leaf certificate's DER encoding. {@link #toKeyStore} gives Jetty's
 * {@code SslContextFactory.Server} what it needs.
 *
 * <p>Immutable and thread-safe. Failures: {@link IOException} when files cannot be read or written,
 * {@link TlsSetupException} when their content cannot be used (naming the file and why). {@link #toString()} never
 * shows key material.
 */
public final class ServerCertificate {
    /** Directory under the data directory holding the self-signed certificate. */
    public static final String DIRECTORY = "tls";
    public static final String CERT_FILE = "cert.pem";
    public static final String KEY_FILE = "key.pem";
    public static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);
    /** The names every self-signed certificate carries, before the host name and the given ones. */
    public static final List<String> DEFAULT_NAMES = List.of("localhost", "127.0.0.1", "::1");
    private static final String ALIAS = "ttyaudit";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final String fingerprint;

    private ServerCertificate(List<X509Certificate> chain, PrivateKey privateKey) {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        this.fingerprint = fingerprint(chain.get(0));
    }

    /**
     * Reads a PEM certificate chain (leaf first; intermediates may follow) and a PEM private key (PKCS#8
     * {@code BEGIN PRIVATE KEY}, or OpenSSL's {@code BEGIN RSA/EC PRIVATE KEY}; RSA, EC or Ed25519, not encrypted),
     * and checks that the key belongs to the leaf. The two may be the same file.
     */
    public static ServerCertificate load(Path certChainPem, Path privateKeyPem) throws IOException {
        List<X509Certificate> chain = PemFiles.readCertificates(certChainPem);
        checkChainOrder(chain, certChainPem);
        PrivateKey key = PemFiles.readPrivateKey(privateKeyPem);
        checkKeyMatches(key, chain.get(0), certChainPem, privateKeyPem);
        return new ServerCertificate(chain, key);
    }

    /**
     * What {@code ttyaudit server} uses: the operator's files when {@code --tls-cert} and {@code --tls-key} are
     * both given, the self-signed certificate in {@code dataDir} when neither is.
     *
     * @param certChainPem {@code --tls-cert}, or null
     * @param privateKeyPem {@code --tls-key}, or null
     * @param names         extra names for a self-signed certificate (ignored for the operator's files)
     * @throws TlsSetupException when only one of the two files is given, or as {@link #load} and
     *                           {@link #loadOrCreateSelfSigned} do
     */
    public static ServerCertificate forServer(Path certChainPem, Path privateKeyPem, Path dataDir,
                                              Collection<String> names) throws IOException {
        if (certChainPem != null && privateKeyPem != null) {
            return load(certChainPem, privateKeyPem);
        }
        if (certChainPem != null || privateKeyPem != null) {
            throw new TlsSetupException("--tls-cert and --tls-key go together; only "
                    + (certChainPem != null ? "--tls-cert" : "--tls-key") + " was given");
        }
        return loadOrCreateSelfSigned(dataDir, names);
    }

    /** {@link #loadOrCreateSelfSigned(Path, Collection, Clock)} with the system clock. */
    public static ServerCertificate loadOrCreateSelfSigned(Path dataDir, Collection<String> extraNames)
            throws IOException {
        return loadOrCreateSelfSigned(dataDir, extraNames, Clock.systemUTC());
    }

    /**
     * The self-signed certificate in {@code dataDir/tls/}: loaded when it exists (its names are not changed then:
     * a new certificate would break every client's pin; delete both files to make a new one), else made with
     * {@link #DEFAULT_NAMES}, this machine's host name and {@code extraNames} (DNS names or IP addresses).
     *
     * @throws TlsSetupException when a name is invalid, the certificate exists without its key, or the key file
     *                           is readable by group or others
     */
    public static ServerCertificate loadOrCreateSelfSigned(Path dataDir, Collection<String> extraNames, Clock clock)
            throws IOException {
        Path dir = dataDir.resolve(DIRECTORY);
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        // The certificate is written last, so it marks a finished generation; a key alone is a leftover of an
        // interrupted first start and is replaced.
        if (Files.exists(certFile)) {
            if (!Files.exists(keyFile)) {
                throw new TlsSetupException(certFile + " exists but its key " + keyFile + " is missing; delete "
                        + certFile + " to make a new certificate (clients must then pin the new fingerprint)");
            }
            checkOwnerOnly(keyFile);
            return load(certFile, keyFile);
        }
        List<String> names = selfSignedNames(extraNames);
        createPrivateDirectory(dir);
        KeyPair keyPair = SelfSignedCertificates.newKeyPair();
        String commonName = LocalHostName.get().filter(SelfSignedCertificates::isValidName).orElse("localhost");
        X509Certificate cert = SelfSignedCertificates.create(keyPair, "ttyaudit server " + commonName, names,
                clock.instant(), SELF_SIGNED_VALIDITY);
        writeAtomically(keyFile, PemFiles.pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()), OWNER_ONLY);
        writeAtomically(certFile, PemFiles.pem("CERTIFICATE", der(cert)), READABLE);
        return new ServerCertificate(List.of(cert), keyPair.getPrivate());
    }

    /** {@code sha256:} and the lower-case hex SHA-256 of {@code certificate}'s DER encoding. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der(certificate)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The pin of this certificate: {@code sha256:} and 64 lower-case hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The chain, leaf first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The leaf's DNS names and IP addresses (subject alternative names), in the certificate's order. */
    public List<String> subjectAltNames() {
        try {
            Collection<List<?>> sans = leaf().getSubjectAlternativeNames();
            List<String> names = new ArrayList<>();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) { // dNSName, iPAddress
                        names.add((String) san.get(1));
                    }
                }
            }
            return names;
        } catch (CertificateParsingException e) {
            throw new TlsSetupException("the certificate's subject alternative names cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A new in-memory PKCS#12 key store holding the key and chain under the alias {@code ttyaudit}, protected by
     * {@code password} (which the caller passes to Jetty as the key store and key password).
     */
    public KeyStore toKeyStore(char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, privateKey, password, chain.toArray(new X509Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ServerCertificate[" + leaf().getSubjectX500Principal().getName() + ", " + fingerprint
                + ", valid until " + leaf().getNotAfter().toInstant() + "]";
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static List<String> selfSignedNames(Collection<String> extraNames) {
        Set<String> names = new LinkedHashSet<>(DEFAULT_NAMES);
        LocalHostName.get().filter(SelfSignedCertificates::isValidName)
                .ifPresent(h -> names.add(h.toLowerCase(Locale.ROOT)));
        for (String n : Objects.requireNonNull(extraNames, "extraNames")) {
            if (!SelfSignedCertificates.isValidName(n)) {
                throw new TlsSetupException("'" + n + "' is neither an IP address nor a DNS name, so it cannot be "
                        + "a name of the certificate");
            }
            names.add(n.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }

    /**
     * Each certificate must be issued by the next one (leaf first), as TLS sends them and as the PKCS#12 key store
     * insists; a chain in the wrong order or with a stranger in it would otherwise fail later with a vaguer error.
     */
    private static void checkChainOrder(List<X509Certificate> chain, Path file) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            X509Certificate next = chain.get(i + 1);
            if (!cert.getIssuerX500Principal().equals(next.getSubjectX500Principal())) {
                throw new TlsSetupException("certificate " + (i + 2) + " in " + file + " ("
                        + next.getSubjectX500Principal().getName() + ") did not issue certificate " + (i + 1) + " ("
                        + cert.getSubjectX500Principal().getName() + ", issued by "
                        + cert.getIssuerX500Principal().getName() + "); put the leaf first, then each issuer");
            }
        }
    }

    /**
     * Proves the key belongs to the certificate by signing a random challenge and checking the signature with the
     * certificate's public key: one test for every key type.
     */
    private static void checkKeyMatches(PrivateKey key, X509Certificate leaf, Path certFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> throw new TlsSetupException("the private key in " + keyFile + " is of an unsupported kind ("
                    + key.getAlgorithm() + "); use RSA, EC or Ed25519");
        };
        boolean matches;
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            matches = false; // e.g. an RSA certificate with an EC key
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot check a " + algorithm + " signature", e);
        }
        if (!matches) {
            throw new TlsSetupException("the private key in " + keyFile + " does not belong to the certificate in "
                    + certFile + " (" + leaf.getSubjectX500Principal().getName() + ", a "
                    + leaf.getPublicKey().getAlgorithm() + " key)");
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void checkOwnerOnly(Path keyFile) throws IOException {
        if (!posix()) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
        boolean ownerOnly = perms.stream().allMatch(p ->
                p == PosixFilePermission.OWNER_READ || p == PosixFilePermission.OWNER_WRITE);
        if (!ownerOnly) {
            throw new TlsSetupException("the private key " + keyFile + " has mode "
                    + PosixFilePermissions.toString(perms) + "; it must be readable by its owner only "
                    + "(chmod 600 " + keyFile + ")");
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * Writes {@code text} to a temporary file created with {@code permissions} (so it is never readable by others,
     * whatever the umask adds: it only removes), forces it to disk, and renames it over {@code target}.
     */
    private static void writeAtomically(Path target, String text, Set<PosixFilePermission> permissions)
            throws IOException {
        Path dir = target.getParent();
        FileAttribute<?>[] attrs = posix()
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attrs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        forceDirectory(dir);
    }

    /** Makes the rename durable; not every platform can open a directory, and then there is nothing to do. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows); the file itself was forced
        }
    }

    private static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate cannot be encoded again", e);
        }
    }
}
