package org.ttyaudit.core.format;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 as used by the hash chain. Every JDK has it; its absence is a broken runtime, not a data problem. */
final class Sha256 {
    static final int LENGTH = 32;

    private Sha256() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
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

    static String hex(byte[] hash) {
        StringBuilder b = new StringBuilder(hash.length * 2);
        for (byte x : hash) {
            b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return b.toString();
    }
}
