package org.ttyaudit.gateway.ssh;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.Set;

/**
 * The gateway's own Ed25519 keys, in OpenSSH's file format so that administrators handle them with the usual
 * tools: the host key users' clients pin, and the identity the gateway logs in to targets with (its public half
 * goes into the targets' {@code authorized_keys}). A missing key is generated at first start: private file mode
 * 0600, created exclusively (two gateways starting at once cannot both write it), public key beside it as
 * {@code NAME.pub}. A private key file readable by others is refused, as OpenSSH does.
 *
 * <p>Stateless; the methods may be called from any thread.
 */
public final class KeyFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /** Loads the key pair in {@code file}, generating it first when the file does not exist. */
    public static KeyPair loadOrCreate(Path file, String comment) throws IOException {
        if (!Files.exists(file)) {
            try {
                create(file, comment);
            } catch (FileAlreadyExistsException e) {
                // Another process made it first: use theirs.
            }
        }
        return load(file);
    }

    /** Loads an unencrypted OpenSSH private key file. */
    public static KeyPair load(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(file + ": a private key must be readable by its owner only (chmod 600), not "
                    + PosixFilePermissions.toString(perms));
        }
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, () -> file.toString(), in, null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IOException(file + ": no private key in this file");
            }
            return it.next();
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a usable private key: " + e.getMessage(), e);
        }
    }

    /** The public half as one OpenSSH line ({@code ssh-ed25519 AAAA… comment}). */
    public static String publicLine(KeyPair pair, String comment) {
        return PublicKeyEntry.toString(pair.getPublic()) + (comment == null || comment.isBlank() ? "" : " " + comment);
    }

    /** OpenSSH's {@code SHA256:…} fingerprint of a key. */
    public static String fingerprint(java.security.PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    private static void create(Path file, String comment) throws IOException {
        KeyPair pair;
        try {
            pair = KeyUtils.generateKeyPair(KeyPairProviderNames.ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an Ed25519 key: " + e.getMessage(), e);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".key-", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot write the key " + file + ": " + e.getMessage(), e);
            }
            Files.writeString(file.resolveSibling(file.getFileName() + ".pub"), publicLine(pair, comment) + "\n",
                    StandardCharsets.US_ASCII);
            // A hard link fails if the name exists: exclusive creation of a complete file.
            Files.createLink(file, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Key type names as OpenSSH spells them. */
    static final class KeyPairProviderNames {
        static final String ED25519 = "ssh-ed25519";

        private KeyPairProviderNames() {
        }
    }
}
