package org.ttyaudit.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key PEMs, key files and public key derivation, including interoperability with the openssl CLI. */
class Ed25519KeysTest {

    @TempDir
    Path dir;

    @Test
    void pemRoundTrips() {
        KeyPair pair = Ed25519Keys.generate();
        String privatePem = Ed25519Keys.encodePrivateKeyPem(pair.getPrivate());
        String publicPem = Ed25519Keys.encodePublicKeyPem(pair.getPublic());
        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("\n-----END PUBLIC KEY-----\n");
        assertThat(Ed25519Keys.decodePrivateKeyPem(privatePem).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(Ed25519Keys.decodePublicKeyPem(publicPem)).isEqualTo(pair.getPublic());
        // Surrounding text and CRLF line ends, as other tools write them, are accepted.
        String decorated = "key for ttyaudit\r\n" + publicPem.replace("\n", "\r\n") + "trailer\n";
        assertThat(Ed25519Keys.decodePublicKeyPem(decorated)).isEqualTo(pair.getPublic());
    }

    @Test
    void publicKeyIsDerivedFromThePrivateKey() {
        for (int i = 0; i < 5; i++) {
            KeyPair pair = Ed25519Keys.generate();
            assertThat(Ed25519Keys.publicKeyOf(pair.getPrivate())).isEqualTo(pair.getPublic());
        }
    }

    @Test
    void malformedPemIsRejectedWithTheReason() throws Exception {
        assertThatThrownBy(() -> Ed25519Keys.decodePrivateKeyPem("hello"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no \"-----BEGIN PRIVATE KEY-----\" line in the PEM text");
        assertThatThrownBy(() -> Ed25519Keys.decodePrivateKeyPem("-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n"))
                .hasMessage("no \"-----END PRIVATE KEY-----\" line after \"-----BEGIN PRIVATE KEY-----\"");
        assertThatThrownBy(() -> Ed25519Keys.decodePrivateKeyPem(
                "-----BEGIN PRIVATE KEY-----\nMC4*AQAw\n-----END PRIVATE KEY-----\n"))
                .hasMessageStartingWith("the PEM PRIVATE KEY block is not valid base64");
        assertThatThrownBy(() -> Ed25519Keys.decodePublicKeyPem(
                Ed25519Keys.encodePrivateKeyPem(Ed25519Keys.generate().getPrivate())))
                .hasMessage("no \"-----BEGIN PUBLIC KEY-----\" line in the PEM text");
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        String ed448Pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ed448.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> Ed25519Keys.decodePrivateKeyPem(ed448Pem))
                .hasMessage("the PEM PRIVATE KEY is not an Ed25519 private key");
    }

    @Test
    void privateKeyFileIsCreatedOwnerOnlyAndReadBack() throws IOException {
        KeyPair pair = Ed25519Keys.generate();
        Path file = dir.resolve("ledger-key.pem");
        Ed25519Keys.writePrivateKey(file, pair.getPrivate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo(Ed25519Keys.encodePrivateKeyPem(pair.getPrivate()));
        PrivateKey read = Ed25519Keys.readPrivateKey(file);
        assertThat(read.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(Ed25519Keys.publicKeyOf(read)).isEqualTo(pair.getPublic());
    }

    @Test
    void anExistingKeyFileIsNeverReplaced() throws IOException {
        Path file = dir.resolve("ledger-key.pem");
        Files.writeString(file, "the old key");
        assertThatThrownBy(() -> Ed25519Keys.writePrivateKey(file, Ed25519Keys.generate().getPrivate()))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("the old key");
    }

    @Test
    void aBrokenKeyFileIsNamed() throws IOException {
        Path file = dir.resolve("broken.pem");
        Files.writeString(file, "not a key");
        assertThatThrownBy(() -> Ed25519Keys.readPrivateKey(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": no \"-----BEGIN PRIVATE KEY-----\" line in the PEM text");
    }

    @Test
    void publicKeyFileRoundTrips() throws IOException {
        KeyPair pair = Ed25519Keys.generate();
        Path file = dir.resolve("ledger-key.pub.pem");
        Ed25519Keys.writePublicKey(file, pair.getPublic());
        assertThat(Ed25519Keys.readPublicKey(file)).isEqualTo(pair.getPublic());
    }

    /** The by-hand check of docs/LEDGER.md: openssl keys load here, and openssl verifies heads signed here. */
    @Test
    void opensslInteroperates() throws Exception {
        assumeThat(onPath("openssl")).as("openssl on PATH").isTrue();
        Path key = dir.resolve("openssl-key.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        PrivateKey privateKey = Ed25519Keys.readPrivateKey(key);
        PublicKey publicKey = Ed25519Keys.publicKeyOf(privateKey);
        assertThat(run("openssl", "pkey", "-in", key.toString(), "-pubout"))
                .isEqualTo(Ed25519Keys.encodePublicKeyPem(publicKey));

        SignedTreeHead signed = TreeHeadSigner.of(privateKey)
                .sign(new TreeHead(3, MerkleHashing.emptyRoot(), Instant.parse("2025-06-01T12:00:00Z")));
        Path pub = dir.resolve("pub.pem");
        Path head = dir.resolve("head.bin");
        Path sig = dir.resolve("head.sig");
        Ed25519Keys.writePublicKey(pub, publicKey);
        Files.write(head, signed.head().signedBytes());
        Files.write(sig, signed.signature());
        assertThat(run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", head.toString(), "-sigfile", sig.toString())).contains("Signature Verified Successfully");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }
}
