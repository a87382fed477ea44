package org.ttyaudit.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Makes the server's random secrets and their stored hashes. A token is its kind's prefix followed by
 * {@value #RANDOM_BYTES} bytes from {@link SecureRandom} in base64url without padding (43 characters), for
 * example {@code tta_kQ3v…}: 256 bits of entropy.
 *
 * <p>The store keeps {@link #hash}: lower-case hex SHA-256 of the token. A fast hash is right here, unlike for
 * passwords: a slow KDF protects low-entropy secrets against guessing, but nobody can guess a 256-bit random
 * value, so SHA-256 already makes a stolen table of hashes useless, and a fast unsalted hash lets the server find a
 * token by an indexed lookup of its hash on every request. Looking up by hash also means the database compares
 * hashes, not secrets, so the lookup's timing tells an attacker nothing about a valid token.
 *
 * <p>Thread-safe ({@link SecureRandom} is).
 */
public final class SecretTokens {
    /** Random bytes per token. */
    public static final int RANDOM_BYTES = 32;
    private static final int ENCODED_LENGTH = 43;
    private static final Pattern RANDOM_PART = Pattern.compile("[A-Za-z0-9_-]{" + ENCODED_LENGTH + "}");
    /** Letters and digits that cannot be mistaken for one another when read from a terminal (no 0/O, 1/l/I). */
    static final String READABLE_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    static final int READABLE_ALPHABET_SIZE = 56;

    private final SecureRandom random;

    public SecretTokens() {
        this(new SecureRandom());
    }

    public SecretTokens(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new token of {@code kind}. */
    public SecretToken generate(TokenKind kind) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new SecretToken(kind, kind.prefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /**
     * A random password of {@code length} characters from a readable alphabet of {@value #READABLE_ALPHABET_SIZE}
     * symbols (20 characters carry about 116 bits), for one-time passwords an administrator types.
     */
    public String readablePassword(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("password length must be positive, not " + length);
        }
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(READABLE_ALPHABET.charAt(random.nextInt(READABLE_ALPHABET.length())));
        }
        return b.toString();
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes: what the store keeps instead of the token. */
    public static String hash(String token) {
        Objects.requireNonNull(token, "token");
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Whether {@code token} has the shape of a {@code kind} token (prefix and 43 base64url characters). Checking
     * the shape before a lookup turns a token of the wrong kind (a host credential sent as an API token) into a
     * refusal, whatever the store holds.
     */
    public static boolean isWellFormed(TokenKind kind, String token) {
        return token != null && token.length() == kind.prefix().length() + ENCODED_LENGTH
                && token.startsWith(kind.prefix())
                && RANDOM_PART.matcher(token).region(kind.prefix().length(), token.length()).matches();
    }

    /** The kind a token's prefix names, if any (its shape is not checked). */
    public static Optional<TokenKind> kindOf(String token) {
        if (token != null) {
            for (TokenKind k : TokenKind.values()) {
                if (token.startsWith(k.prefix())) {
                    return Optional.of(k);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Compares two secrets (or their hashes) in time that depends only on their lengths, not on where they first
     * differ. Null equals nothing.
     */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
