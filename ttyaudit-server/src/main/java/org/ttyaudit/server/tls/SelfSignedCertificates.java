package org.ttyaudit.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Makes the EC P-256 key and the self-signed server certificate. Stateless. */
final class SelfSignedCertificates {
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*\\.?");
    /** Clocks of clients and server disagree a little; a certificate should be valid the moment it is made. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private SelfSignedCertificates() {
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make EC P-256 keys", e);
        }
    }

    /** Whether {@code name} is an IP address or a DNS name that can go into a certificate. */
    static boolean isValidName(String name) {
        return name != null && (IPAddress.isValid(name) || (name.length() <= 253 && DNS_NAME.matcher(name).matches()));
    }

    static GeneralName generalName(String name) {
        if (IPAddress.isValid(name)) {
            return new GeneralName(GeneralName.iPAddress, name);
        }
        if (!isValidName(name)) {
            throw new TlsSetupException("'" + name + "' is neither an IP address nor a DNS name, so it cannot be "
                    + "a name of the certificate");
        }
        return new GeneralName(GeneralName.dNSName, name.toLowerCase(Locale.ROOT));
    }

    /**
     * A certificate for {@code keyPair}'s public key, signed by its private key, naming {@code names} (DNS names
     * and IP addresses) as subject alternative names: what clients check, the common name is for people.
     */
    static X509Certificate create(KeyPair keyPair, String commonName, List<String> names, Instant now,
                                  Duration validity) {
        try {
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "ttyaudit")
                    .addRDN(BCStyle.CN, commonName)
                    .build();
            // Positive, non-zero, at most 20 octets (RFC 5280 §4.1.2.2).
            BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keyPair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.stream().map(SelfSignedCertificates::generalName)
                            .toArray(GeneralName[]::new)));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keyPair.getPublic()));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
        } catch (TlsSetupException e) {
            throw e;
        } catch (Exception e) {
            // CertIOException, OperatorCreationException, CertificateException, NoSuchAlgorithmException: none can
            // happen with the JDK's providers and valid names.
            throw new IllegalStateException("could not make the self-signed certificate: " + e.getMessage(), e);
        }
    }
}
