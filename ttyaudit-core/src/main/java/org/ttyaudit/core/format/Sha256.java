package org.ttyaudit.core.format;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 as used by the hash chain. Every JDK has it; its absence is a broken runtime, not a data problem. */
public final class Sha256 {
    public static final int LENGTH = 32;

    private Sha256() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static byte[] of(byte[] data) {
        return of(data, 0, data.length);
    }

    static byte[] of(byte[] data, int off, int len) {
        MessageDigest d = newDigest();
        d.update(data, off, len);
        return d.digest();
    }

    static void checkLength(byte[] hash, String what) {
        if (hash == null || hash.length != LENGTH) {
            throw new IllegalArgumentException(what + " must be " + LENGTH + " bytes (SHA-256), not "
                    + (hash == null ? "null" : hash.length));
        }
    }

    /** Lower-case hex, as hashes appear in messages, JSON and docs. */
    public static String hex(byte[] hash) {
        StringBuilder b = new StringBuilder(hash.length * 2);
        for (byte x : hash) {
            b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return b.toString();
    }
}
