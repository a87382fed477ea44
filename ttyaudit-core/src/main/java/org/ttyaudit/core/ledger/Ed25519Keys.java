package org.ttyaudit.core.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Ed25519 keys for signing tree heads, with the JDK's own provider: generation, PEM encoding (PKCS#8
 * "PRIVATE KEY", X.509 SubjectPublicKeyInfo "PUBLIC KEY" — the forms {@code openssl genpkey -algorithm ed25519}
 * and {@code openssl pkey -pubout} use), key ids, and private key files that are never readable by anyone but
 * their owner.
 *
 * <p>The public key is derived from the private key ({@link #publicKeyOf}), so a key file holds only the private
 * key. The JDK has no public API for that derivation; it is done by letting the JDK's key pair generator draw the
 * private key's 32 bytes from a random source that returns exactly them, and checking that it did.
 *
 * <p>Stateless and thread-safe. Malformed input is an {@link IllegalArgumentException} naming the problem; file
 * problems are {@link IOException}s.
 */
public final class Ed25519Keys {

    private static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE_PEM = "PRIVATE KEY";
    private static final String PUBLIC_PEM = "PUBLIC KEY";
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private Ed25519Keys() {
    }

    /** A new key pair from the JDK's default secure random source. */
    public static KeyPair generate() {
        try {
            return keyPairGenerator().generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw missingEd25519(e);
        }
    }

    /**
     * The key id of a public key: {@code "ed25519:"} and the first 16 hex digits of SHA-256 over its X.509
     * SubjectPublicKeyInfo encoding (the DER inside the "PUBLIC KEY" PEM).
     */
    public static String keyId(PublicKey key) {
        requireEd25519(key, "public key");
        byte[] digest = MerkleHashing.sha256().digest(key.getEncoded());
        return "ed25519:" + MerkleHashing.hex(digest).substring(0, 16);
    }

    /** The public key that belongs to {@code key}. */
    public static PublicKey publicKeyOf(PrivateKey key) {
        requireEd25519(key, "private key");
        if (!(key instanceof EdECPrivateKey edKey)) {
            throw new IllegalArgumentException("not an Ed25519 private key of the JDK's provider: " + key.getClass());
        }
        byte[] seed = edKey.getBytes().orElseThrow(() -> new IllegalArgumentException(
                "the private key's bytes are not available (a key held in hardware?), so its public key cannot be"
                        + " derived"));
        try {
            KeyPairGenerator generator = keyPairGenerator();
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] derived = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
            boolean same = MessageDigest.isEqual(derived, seed);
            Arrays.fill(derived, (byte) 0);
            if (!same) {
                throw new IllegalStateException("this JDK's Ed25519 key generator does not take the private key"
                        + " from its random source, so the public key cannot be derived; keep the public key PEM"
                        + " next to the private key instead");
            }
            return pair.getPublic();
        } catch (GeneralSecurityException e) {
            throw missingEd25519(e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The key as PEM: PKCS#8 between "-----BEGIN PRIVATE KEY-----" lines, base64 in lines of 64. */
    public static String encodePrivateKeyPem(PrivateKey key) {
        requireEd25519(key, "private key");
        return pem(PRIVATE_PEM, key.getEncoded());
    }

    /** The key as PEM: X.509 SubjectPublicKeyInfo between "-----BEGIN PUBLIC KEY-----" lines. */
    public static String encodePublicKeyPem(PublicKey key) {
        requireEd25519(key, "public key");
        return pem(PUBLIC_PEM, key.getEncoded());
    }

    /** @throws IllegalArgumentException when the text holds no "PRIVATE KEY" block or no Ed25519 key */
    public static PrivateKey decodePrivateKeyPem(String pem) {
        byte[] der = unpem(pem, PRIVATE_PEM);
        try {
            return keyFactory().generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("the PEM " + PRIVATE_PEM + " is not an Ed25519 private key", e);
        } catch (NoSuchAlgorithmException e) {
            throw missingEd25519(e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** @throws IllegalArgumentException when the text holds no "PUBLIC KEY" block or no Ed25519 key */
    public static PublicKey decodePublicKeyPem(String pem) {
        byte[] der = unpem(pem, PUBLIC_PEM);
        try {
            return keyFactory().generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("the PEM " + PUBLIC_PEM + " is not an Ed25519 public key", e);
        } catch (NoSuchAlgorithmException e) {
            throw missingEd25519(e);
        }
    }

    /**
     * Writes the key as PEM to a new file that is created with mode 0600 (the permissions are part of the
     * creation, so the file is never readable by others, not even briefly) and synced to disk. An existing file is
     * never replaced: replacing a signing key would orphan every head signed with it.
     *
     * @throws FileAlreadyExistsException when {@code path} exists
     * @throws IOException when the file system has no POSIX permissions or the write fails (the partial file is
     *         removed)
     */
    public static void writePrivateKey(Path path, PrivateKey key) throws IOException {
        byte[] pem = encodePrivateKeyPem(key).getBytes(StandardCharsets.US_ASCII);
        try {
            FileChannel channel = createOwnerOnly(path);
            try (channel) {
                // The umask can only remove bits; this makes the mode exactly 0600 even under an unusual umask.
                Files.setPosixFilePermissions(path, OWNER_READ_WRITE);
                ByteBuffer buffer = ByteBuffer.wrap(pem);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            } catch (IOException | RuntimeException e) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } finally {
            Arrays.fill(pem, (byte) 0);
        }
    }

    private static FileChannel createOwnerOnly(Path path) throws IOException {
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
        try {
            return FileChannel.open(path, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode);
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot create " + path + " with mode 0600: the file system has no POSIX"
                    + " permissions", e);
        }
    }

    /** Reads a private key PEM file as written by {@link #writePrivateKey} (or by openssl). */
    public static PrivateKey readPrivateKey(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        try {
            return decodePrivateKeyPem(new String(bytes, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Writes the public key PEM to a new file (public keys are not secret: default permissions). */
    public static void writePublicKey(Path path, PublicKey key) throws IOException {
        Files.writeString(path, encodePublicKeyPem(key), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
    }

    /** Reads a public key PEM file. */
    public static PublicKey readPublicKey(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.US_ASCII);
        try {
            return decodePublicKeyPem(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    // The JDK's own provider (SunEC) is asked by name when it is there: a library that installs another provider
    // first (the server has BouncyCastle) must not change which implementation signs, or break publicKeyOf.
    private static final String JDK_PROVIDER = "SunEC";

    static KeyPairGenerator keyPairGenerator() throws NoSuchAlgorithmException {
        Provider jdk = Security.getProvider(JDK_PROVIDER);
        return jdk != null ? KeyPairGenerator.getInstance(ALGORITHM, jdk) : KeyPairGenerator.getInstance(ALGORITHM);
    }

    static KeyFactory keyFactory() throws NoSuchAlgorithmException {
        Provider jdk = Security.getProvider(JDK_PROVIDER);
        return jdk != null ? KeyFactory.getInstance(ALGORITHM, jdk) : KeyFactory.getInstance(ALGORITHM);
    }

    static Signature signature() throws NoSuchAlgorithmException {
        Provider jdk = Security.getProvider(JDK_PROVIDER);
        return jdk != null ? Signature.getInstance(ALGORITHM, jdk) : Signature.getInstance(ALGORITHM);
    }

    static void requireEd25519(Key key, String what) {
        if (key == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (!(key instanceof EdECKey ed) || !ALGORITHM.equalsIgnoreCase(ed.getParams().getName())) {
            throw new IllegalArgumentException("the " + what + " is not an Ed25519 key (algorithm "
                    + key.getAlgorithm() + ")");
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String text, String type) {
        if (text == null) {
            throw new IllegalArgumentException("no PEM text");
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        if (from < 0) {
            throw new IllegalArgumentException("no \"" + begin + "\" line in the PEM text");
        }
        int to = text.indexOf(end, from + begin.length());
        if (to < 0) {
            throw new IllegalArgumentException("no \"" + end + "\" line after \"" + begin + "\"");
        }
        String body = text.substring(from + begin.length(), to).replaceAll("\\s+", "");
        if (body.isEmpty()) {
            throw new IllegalArgumentException("the PEM " + type + " block is empty");
        }
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM " + type + " block is not valid base64: " + e.getMessage(),
                    e);
        }
    }

    private static IllegalStateException missingEd25519(GeneralSecurityException e) {
        // Java 15+ always ships Ed25519 in SunEC; without it the runtime is broken, not the data.
        return new IllegalStateException("the JDK provides no Ed25519", e);
    }

    /** A "random" source that yields one given byte string once: how the JDK generator is made to derive. */
    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;
        private boolean used;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public synchronized void nextBytes(byte[] out) {
            if (used || out.length != bytes.length) {
                throw new IllegalStateException("the Ed25519 generator asked for other random bytes than the"
                        + " 32-byte private key");
            }
            used = true;
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
