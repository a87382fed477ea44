package org.ttyaudit.server.verify;

import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.server.AuditServer;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Ed25519 public key that signed tree heads are checked with, how messages name it, and what is wrong with
 * where it came from: a missing or unreadable key file, or a key file that is not the key the user pinned.
 *
 * <p>A server keeps only its private key ({@code keys/ledger.key}); the public key is derived from it. Whoever
 * can replace that file can sign heads of a rewritten ledger, so a user who knows the real public key (from the
 * API's {@code /api/v1/ledger/key} at an earlier time, or from a forwarded head) pins it: heads are then checked
 * with the pin, and a key file that differs is itself a problem. With a pin, a key file the user may not read
 * (it is the server's secret, mode 0600) is no problem: it cannot be compared, and the pin is what is trusted.
 *
 * @param key         null when there is no key to check signatures with ({@code problems} says why)
 * @param description how messages name the key, e.g. {@code keys/ledger.key (ed25519:0123456789abcdef)}
 */
public record TrustedKey(PublicKey key, String description, List<String> problems) {

    public TrustedKey {
        Objects.requireNonNull(description, "description");
        problems = List.copyOf(problems);
        if (key == null && problems.isEmpty()) {
            throw new IllegalArgumentException("without a key, the problems must say why there is none");
        }
    }

    /** A key given directly, with nothing wrong about it. */
    public static TrustedKey of(PublicKey key, String description) {
        return new TrustedKey(Objects.requireNonNull(key, "key"), description + " (" + Ed25519Keys.keyId(key) + ")",
                List.of());
    }

    /**
     * The key of a server's data directory: the public key derived from {@code keys/ledger.key}, or, when
     * {@code pinned} is given, the pin (and a problem when the key file holds another key).
     *
     * @param pinned     the public key the user trusts, or null
     * @param pinnedName how to name the pin in messages (its file name), when given
     */
    public static TrustedKey fromDataDirectory(Path dataDir, PublicKey pinned, String pinnedName) {
        String fileName = AuditServer.LEDGER_KEY;
        List<String> problems = new ArrayList<>();
        PublicKey fromFile = null;
        try {
            PrivateKey privateKey = Ed25519Keys.readPrivateKey(dataDir.resolve(fileName));
            fromFile = Ed25519Keys.publicKeyOf(privateKey);
        } catch (NoSuchFileException e) {
            problems.add(fileName + " is missing: " + (pinned == null
                    ? "the signed tree heads cannot be checked (give the server's public key with --ledger-key)"
                    : "the server cannot sign heads with it (the heads are checked with the pinned key)"));
        } catch (AccessDeniedException e) {
            // the key is the server's secret (mode 0600): an auditor with the pinned public key needs no access
            if (pinned == null) {
                problems.add(fileName + " cannot be read (permission denied): the signed tree heads cannot be"
                        + " checked (give the server's public key with --ledger-key)");
            }
        } catch (IOException | RuntimeException e) {
            problems.add(fileName + " cannot be read as an Ed25519 private key: " + e.getMessage());
        }
        if (pinned == null) {
            return fromFile == null ? new TrustedKey(null, fileName, problems)
                    : new TrustedKey(fromFile, fileName + " (" + Ed25519Keys.keyId(fromFile) + ")", problems);
        }
        String pinnedId = Ed25519Keys.keyId(pinned);
        if (fromFile != null && !Arrays.equals(fromFile.getEncoded(), pinned.getEncoded())) {
            problems.add(fileName + " is key " + Ed25519Keys.keyId(fromFile) + ", not the pinned key " + pinnedId
                    + " — the signing key was replaced");
        }
        return new TrustedKey(pinned, "the pinned key " + pinnedName + " (" + pinnedId + ")", problems);
    }
}
