package org.ttyaudit.server.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Reads certificate chains and private keys from PEM files, and writes them. Stateless. */
final class PemFiles {
    /** Key algorithms by the OID in PKCS#8, as the JDK's KeyFactory names them. */
    private static final Map<ASN1ObjectIdentifier, String> KEY_ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519");

    private PemFiles() {
    }

    /** Every certificate in {@code file}, in order (the leaf first, as in a TLS chain); other blocks are skipped. */
    static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = readObject(p, file)) != null) {
                if (o instanceof X509CertificateHolder h) {
                    try {
                        chain.add((X509Certificate) factory.generateCertificate(
                                new ByteArrayInputStream(h.getEncoded())));
                    } catch (CertificateException e) {
                        throw new TlsSetupException("certificate " + (chain.size() + 1) + " in " + file
                                + " cannot be read: " + e.getMessage(), e);
                    }
                }
            }
        }
        if (chain.isEmpty()) {
            throw new TlsSetupException("no PEM certificate (BEGIN CERTIFICATE) in " + file);
        }
        return chain;
    }

    /** The first private key in {@code file}: PKCS#8 ({@code BEGIN PRIVATE KEY}) or OpenSSL's RSA/EC form. */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = readObject(p, file)) != null) {
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsSetupException("the private key in " + file + " is encrypted; give an "
                            + "unencrypted key (openssl pkey -in KEY -out PLAIN_KEY) and protect it with mode 0600");
                }
                if (o instanceof PEMKeyPair pair) {
                    return toPrivateKey(pair.getPrivateKeyInfo(), file);
                }
                if (o instanceof PrivateKeyInfo info) {
                    return toPrivateKey(info, file);
                }
            }
        }
        throw new TlsSetupException("no PEM private key (BEGIN PRIVATE KEY) in " + file);
    }

    private static Object readObject(PEMParser p, Path file) {
        try {
            return p.readObject();
        } catch (IOException | RuntimeException e) {
            // The file is open, so what fails now is its content: PEMParser reports bad base64 or structure as
            // IOException and bad DER as unchecked exceptions.
            throw new TlsSetupException(file + " is not valid PEM: " + e.getMessage(), e);
        }
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo info, Path file) throws IOException {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new TlsSetupException("the private key in " + file + " is of an unsupported kind (" + oid
                    + "); use RSA, EC or Ed25519");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("the " + algorithm + " private key in " + file + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** PEM text of one DER block, lines of 64 characters as RFC 7468 writes them. */
    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
