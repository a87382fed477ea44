package org.ttyaudit.server.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hashes passwords with Argon2id (RFC 9106, BouncyCastle's implementation) and checks them. The result is the
 * standard PHC string {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (salt and hash in standard base64
 * without padding), the same text the reference implementation and libsodium produce, so stored hashes stay
 * portable.
 *
 * <p>Defaults follow OWASP's password storage cheat sheet for Argon2id: 19 MiB of memory, 2 passes, 1 lane, with
 * a 16-byte random salt and a 32-byte hash. One hash takes tens of milliseconds and 19 MiB for that time; callers
 * that hash on request threads bound their concurrency through the HTTP server's thread pool.
 *
 * <p>Thread-safe (each call uses its own generator). A malformed stored string is an {@link IllegalArgumentException}
 * naming what is wrong, never a silent "wrong password".
 *
 * <p>Not final so that tests can count the hashes a caller verifies (that an unknown user costs a full verification
 * is checked by counting, not by timing).
 */
public class PasswordHasher {

    /** Salt length of new hashes, in bytes. */
    public static final int SALT_BYTES = 16;
    /** Hash (tag) length of new hashes, in bytes. */
    public static final int HASH_BYTES = 32;

    // Bounds on what a stored string may ask for, so a corrupt or planted row cannot make a login allocate gigabytes
    // or spin for minutes.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;
    private static final int MIN_SALT_BYTES = 8;
    private static final int MAX_SALT_BYTES = 64;
    private static final int MIN_HASH_BYTES = 16;
    private static final int MAX_HASH_BYTES = 64;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=(\\d{1,3})\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,10})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    /**
     * Argon2id cost parameters.
     *
     * @param memoryKib   memory in KiB (m)
     * @param iterations  passes over the memory (t)
     * @param parallelism lanes (p)
     */
    public record Parameters(int memoryKib, int iterations, int parallelism) {
        /** OWASP's recommendation (m=19 MiB, t=2, p=1); the default for new hashes. */
        public static final Parameters OWASP = new Parameters(19_456, 2, 1);

        public Parameters {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException("Argon2 parallelism must be 1.." + MAX_PARALLELISM + ", not "
                        + parallelism);
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("Argon2 iterations must be 1.." + MAX_ITERATIONS + ", not "
                        + iterations);
            }
            if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("Argon2 memory must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB
                        + " KiB, not " + memoryKib);
            }
        }

        /** True when these cost less than {@code other} in memory or in passes (fewer lanes is not weaker). */
        public boolean weakerThan(Parameters other) {
            return memoryKib < other.memoryKib || iterations < other.iterations;
        }
    }

    /** A decoded PHC string. */
    record Encoded(Parameters parameters, byte[] salt, byte[] hash) {
    }

    private final Parameters parameters;
    private final SecureRandom random;

    /** Hashes with {@link Parameters#OWASP}. */
    public PasswordHasher() {
        this(Parameters.OWASP, new SecureRandom());
    }

    /** Hashes with other parameters (stronger ones in production; tests use cheap ones to stay fast). */
    public PasswordHasher(Parameters parameters, SecureRandom random) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.random = Objects.requireNonNull(random, "random");
    }

    public Parameters parameters() {
        return parameters;
    }

    /** A new PHC string for {@code password} with a fresh random salt. */
    public String hash(String password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, parameters, HASH_BYTES);
        return encode(parameters, salt, hash);
    }

    /**
     * Whether {@code password} matches {@code encoded}. The comparison of the hashes takes the same time wherever
     * they differ; the whole call costs one Argon2id run with the stored string's parameters.
     *
     * @throws IllegalArgumentException when {@code encoded} is not an Argon2id v19 PHC string within bounds
     */
    public boolean verify(String password, String encoded) {
        Objects.requireNonNull(password, "password");
        Encoded e = decode(encoded);
        byte[] candidate = derive(password, e.salt(), e.parameters(), e.hash().length);
        return MessageDigest.isEqual(candidate, e.hash());
    }

    /**
     * Whether {@code encoded} was made with weaker settings than this hasher's (less memory, fewer passes, a
     * shorter salt or hash), so that it should be replaced by {@link #hash} the next time the password is known.
     *
     * @throws IllegalArgumentException when {@code encoded} is malformed
     */
    public boolean needsRehash(String encoded) {
        Encoded e = decode(encoded);
        return e.parameters().weakerThan(parameters) || e.salt().length < SALT_BYTES || e.hash().length < HASH_BYTES;
    }

    static byte[] derive(String password, byte[] salt, Parameters p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKib())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(pw, out);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
        return out;
    }

    static String encode(Parameters p, byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + p.memoryKib() + ",t=" + p.iterations() + ",p=" + p.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    static Encoded decode(String encoded) {
        if (encoded == null) {
            throw new IllegalArgumentException("no password hash stored");
        }
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            throw new IllegalArgumentException("stored password hash is not an Argon2id PHC string "
                    + "($argon2id$v=19$m=…,t=…,p=…$salt$hash, unpadded base64)");
        }
        if (!m.group(1).equals("19")) {
            throw new IllegalArgumentException("stored password hash has Argon2 version " + m.group(1)
                    + "; only 19 (0x13) is supported");
        }
        Parameters p;
        try {
            p = new Parameters(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stored password hash has a parameter out of range", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored password hash: " + e.getMessage(), e);
        }
        byte[] salt = base64(m.group(5), "salt");
        byte[] hash = base64(m.group(6), "hash");
        if (salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) {
            throw new IllegalArgumentException("stored password hash has a " + salt.length
                    + "-byte salt; " + MIN_SALT_BYTES + ".." + MAX_SALT_BYTES + " expected");
        }
        if (hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) {
            throw new IllegalArgumentException("stored password hash has a " + hash.length
                    + "-byte hash; " + MIN_HASH_BYTES + ".." + MAX_HASH_BYTES + " expected");
        }
        return new Encoded(p, salt, hash);
    }

    private static byte[] base64(String text, String what) {
        // Unpadded base64 has no length ≡ 1 (mod 4); the JDK decoder would reject it anyway, with a vaguer message.
        if (text.length() % 4 == 1) {
            throw new IllegalArgumentException("stored password hash has a truncated " + what);
        }
        try {
            return B64_DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored password hash has a malformed " + what, e);
        }
    }
}
