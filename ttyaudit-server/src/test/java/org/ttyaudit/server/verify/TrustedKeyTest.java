package org.ttyaudit.server.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.ledger.Ed25519Keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Which key signed heads are checked with, and what is wrong with the key file, with and without a pin. */
class TrustedKeyTest {
    @TempDir
    Path data;

    @Test
    void theKeyFilesPublicKeyIsTrustedWhenNothingIsPinned() throws Exception {
        KeyPair pair = writeKey();

        TrustedKey key = TrustedKey.fromDataDirectory(data, null, null);

        assertThat(key.key().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(key.description()).isEqualTo("keys/ledger.key (" + Ed25519Keys.keyId(pair.getPublic()) + ")");
        assertThat(key.problems()).isEmpty();
    }

    @Test
    void aPinThatIsTheKeyFilesKeyIsNoProblem() throws Exception {
        KeyPair pair = writeKey();

        TrustedKey key = TrustedKey.fromDataDirectory(data, pair.getPublic(), "pub.pem");

        assertThat(key.problems()).isEmpty();
        assertThat(key.description()).isEqualTo("the pinned key pub.pem (" + Ed25519Keys.keyId(pair.getPublic())
                + ")");
    }

    @Test
    void aMissingKeyFileLeavesNoKeyUnlessOneIsPinned() {
        TrustedKey none = TrustedKey.fromDataDirectory(data, null, null);
        assertThat(none.key()).isNull();
        assertThat(none.problems()).containsExactly("keys/ledger.key is missing: the signed tree heads cannot be"
                + " checked (give the server's public key with --ledger-key)");

        KeyPair pinned = Ed25519Keys.generate();
        TrustedKey withPin = TrustedKey.fromDataDirectory(data, pinned.getPublic(), "pub.pem");
        assertThat(withPin.key()).isEqualTo(pinned.getPublic());
        assertThat(withPin.problems()).containsExactly("keys/ledger.key is missing: the server cannot sign heads"
                + " with it (the heads are checked with the pinned key)");
    }

    @Test
    void aKeyFileThatIsNoKeyIsAProblem() throws Exception {
        Files.createDirectories(data.resolve("keys"));
        Files.writeString(data.resolve("keys/ledger.key"), "not a key");

        TrustedKey key = TrustedKey.fromDataDirectory(data, null, null);

        assertThat(key.key()).isNull();
        assertThat(key.problems()).singleElement().asString()
                .startsWith("keys/ledger.key cannot be read as an Ed25519 private key: ");
    }

    @Test
    void anUnreadableKeyFileMattersOnlyWithoutAPin() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        KeyPair pair = writeKey();
        Files.setPosixFilePermissions(data.resolve("keys/ledger.key"), PosixFilePermissions.fromString("---------"));

        assertThat(TrustedKey.fromDataDirectory(data, null, null).problems()).containsExactly("keys/ledger.key"
                + " cannot be read (permission denied): the signed tree heads cannot be checked (give the server's"
                + " public key with --ledger-key)");
        assertThat(TrustedKey.fromDataDirectory(data, pair.getPublic(), "pub.pem").problems()).isEmpty();
    }

    private KeyPair writeKey() throws Exception {
        KeyPair pair = Ed25519Keys.generate();
        Files.createDirectories(data.resolve("keys"));
        Ed25519Keys.writePrivateKey(data.resolve("keys/ledger.key"), pair.getPrivate());
        return pair;
    }
}
