package org.ttyaudit.core.transport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of a pinned server certificate: the SHA-256 of its DER encoding, written
 * {@code sha256:} + 64 lower-case hex digits (docs/INGEST.md). The server prints it at start-up; clients compare
 * the certificate they are shown against it.
 *
 * <p>Immutable (the digest is copied in and out). {@link #matches} compares in constant time.
 */
public final class CertificateFingerprint {
    private static final String PREFIX = "sha256:";
    private static final int LENGTH = 32;

    private final byte[] sha256;

    private CertificateFingerprint(byte[] sha256) {
        this.sha256 = sha256;
    }

    /**
     * Parses {@code sha256:<64 hex digits>} (upper-case hex is accepted and shown in lower case).
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static CertificateFingerprint parse(String text) {
        Objects.requireNonNull(text, "fingerprint");
        String t = text.trim();
        if (!t.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException("a fingerprint is 'sha256:' followed by 64 hex digits, not '" + text
                    + "'");
        }
        String hex = t.substring(PREFIX.length());
        if (hex.length() != 2 * LENGTH || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("a fingerprint is 'sha256:' followed by 64 hex digits; '" + text
                    + "' has " + hex.length() + " characters after the prefix" + (hex.length() == 2 * LENGTH
                    ? ", not all of them hex digits" : ""));
        }
        return new CertificateFingerprint(HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The fingerprint of a DER-encoded certificate. */
    public static CertificateFingerprint ofDer(byte[] der) {
        return new CertificateFingerprint(sha256(der));
    }

    /** The fingerprint of {@code certificate}'s DER encoding. */
    public static CertificateFingerprint of(Certificate certificate) throws CertificateEncodingException {
        return ofDer(certificate.getEncoded());
    }

    /** Whether {@code der} has this fingerprint; constant time in the digest's content. */
    public boolean matches(byte[] der) {
        return MessageDigest.isEqual(sha256, sha256(der));
    }

    /** Whether both name the same certificate; constant time. */
    public boolean sameAs(CertificateFingerprint other) {
        return MessageDigest.isEqual(sha256, other.sha256);
    }

    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateFingerprint f && sameAs(f);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    /** {@code sha256:} and the lower-case hex digest, the form users compare and paste. */
    @Override
    public String toString() {
        return PREFIX + HexFormat.of().formatHex(sha256);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
