package org.ttyaudit.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Signed tree heads: the exact signed bytes, signatures that verify, and every way a head or its signature can be
 * wrong. Known answers use the key of RFC 8032 §7.1 TEST 1 (secret 9d61b1…7f60, public d75a98…511a, signature of
 * the empty message e55643…100b); the head signature and key id were computed independently with Python's
 * {@code cryptography} package.
 */
class TreeHeadSigningTest {

    static final String RFC8032_SECRET = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String RFC8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    /** PKCS#8 of an Ed25519 key: the fixed DER prefix, then the 32-byte secret. */
    static final String RFC8032_PEM = "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getEncoder().encodeToString(HexFormat.of().parseHex("302e020100300506032b657004220420"
            + RFC8032_SECRET)) + "\n-----END PRIVATE KEY-----\n";

    private static final byte[] ROOT_8 =
            HexFormat.of().parseHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    private static final TreeHead HEAD = new TreeHead(8, ROOT_8, Instant.parse("2024-01-02T03:04:05.678Z"));

    @Test
    void signedBytesAreTheDocumentedLayout() {
        assertThat(HexFormat.of().formatHex(HEAD.signedBytes())).isEqualTo(
                HexFormat.of().formatHex("ttyaudit-tree-head-v1\n".getBytes())
                        + "0000000000000008"
                        + "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
                        + "0000018cc820db2e");
        assertThat(HEAD.signedBytes()).hasSize(70).hasSize(TreeHead.SIGNED_LENGTH);
    }

    @Test
    void timestampIsKeptToTheMillisecondThatIsSigned() {
        TreeHead fine = new TreeHead(8, ROOT_8, Instant.parse("2024-01-02T03:04:05.678999999Z"));
        assertThat(fine).isEqualTo(HEAD);
        assertThat(fine.timestamp()).isEqualTo(Instant.parse("2024-01-02T03:04:05.678Z"));
        assertThatThrownBy(() -> new TreeHead(-1, ROOT_8, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TreeHead(1, new byte[31], Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TreeHead(1, ROOT_8, Instant.MAX)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
    }

    @Test
    void rfc8032KeyGivesTheKnownPublicKeySignatureAndKeyId() throws Exception {
        PrivateKey secret = Ed25519Keys.decodePrivateKeyPem(RFC8032_PEM);
        PublicKey derived = Ed25519Keys.publicKeyOf(secret);
        byte[] spki = derived.getEncoded();
        assertThat(HexFormat.of().formatHex(spki)).isEqualTo("302a300506032b6570032100" + RFC8032_PUBLIC);

        Signature s = Signature.getInstance("Ed25519");
        s.initSign(secret);
        assertThat(HexFormat.of().formatHex(s.sign())).isEqualTo(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

        TreeHeadSigner signer = TreeHeadSigner.of(secret);
        assertThat(signer.keyId()).isEqualTo("ed25519:06e3fd8fda29bb60");
        SignedTreeHead signed = signer.sign(HEAD);
        assertThat(signed.keyId()).isEqualTo("ed25519:06e3fd8fda29bb60");
        assertThat(HexFormat.of().formatHex(signed.signature())).isEqualTo(
                "7487c822c0bb13e2b26987ce96c12da65691f7e0437b976ac959c8b180a68276"
                        + "5e9a1e983d3308fbdb312d089c7728bb2529a4951a7232c4f5dbdf392992e401");
        new TreeHeadVerifier(derived).verify(signed);
    }

    @Test
    void signatureRoundTrips() {
        KeyPair pair = Ed25519Keys.generate();
        TreeHeadSigner signer = new TreeHeadSigner(pair);
        SignedTreeHead signed = signer.sign(HEAD);
        TreeHeadVerifier verifier = new TreeHeadVerifier(pair.getPublic());
        verifier.verify(signed);
        assertThat(verifier.isValid(signed)).isTrue();
        assertThat(signed.keyId()).isEqualTo(Ed25519Keys.keyId(pair.getPublic())).matches("ed25519:[0-9a-f]{16}");
    }

    @Test
    void anyChangeToTheHeadBreaksTheSignature() {
        KeyPair pair = Ed25519Keys.generate();
        SignedTreeHead signed = new TreeHeadSigner(pair).sign(HEAD);
        TreeHeadVerifier verifier = new TreeHeadVerifier(pair.getPublic());
        byte[] otherRoot = ROOT_8.clone();
        otherRoot[31] ^= 1;
        for (TreeHead forged : new TreeHead[]{
            new TreeHead(9, ROOT_8, HEAD.timestamp()),
            new TreeHead(8, otherRoot, HEAD.timestamp()),
            new TreeHead(8, ROOT_8, HEAD.timestamp().plusMillis(1))}) {
            SignedTreeHead tampered = new SignedTreeHead(forged, signed.keyId(), signed.signature());
            assertThatThrownBy(() -> verifier.verify(tampered)).isInstanceOf(LedgerVerificationException.class)
                    .hasMessage("the signature of the tree head of size " + forged.treeSize() + " (root "
                            + HexFormat.of().formatHex(forged.rootHash()) + ", " + forged.timestamp()
                            + ") does not verify with key " + signed.keyId());
        }
        for (int bit = 0; bit < 64 * 8; bit += 37) {
            byte[] sig = signed.signature();
            sig[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(verifier.isValid(new SignedTreeHead(HEAD, signed.keyId(), sig))).as("bit %d", bit).isFalse();
        }
    }

    @Test
    void aHeadFromAnotherKeyIsRejected() {
        KeyPair trusted = Ed25519Keys.generate();
        KeyPair other = Ed25519Keys.generate();
        SignedTreeHead foreign = new TreeHeadSigner(other).sign(HEAD);
        TreeHeadVerifier verifier = new TreeHeadVerifier(trusted.getPublic());
        assertThatThrownBy(() -> verifier.verify(foreign)).isInstanceOf(LedgerVerificationException.class)
                .hasMessage("tree head of size 8 is signed by key " + Ed25519Keys.keyId(other.getPublic())
                        + ", but the trusted key is " + verifier.keyId());
        // Claiming the trusted key's id does not help: the signature is checked with the trusted key.
        SignedTreeHead relabelled = new SignedTreeHead(HEAD, verifier.keyId(), foreign.signature());
        assertThatThrownBy(() -> verifier.verify(relabelled)).isInstanceOf(LedgerVerificationException.class)
                .hasMessageContaining("does not verify with key " + verifier.keyId());
    }

    @Test
    void signerRefusesKeysThatAreNotAnEd25519Pair() throws Exception {
        KeyPair a = Ed25519Keys.generate();
        KeyPair b = Ed25519Keys.generate();
        assertThatThrownBy(() -> new TreeHeadSigner(a.getPrivate(), b.getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the private key does not belong to public key " + Ed25519Keys.keyId(b.getPublic()));
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThatThrownBy(() -> new TreeHeadSigner(ed448)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the private key is not an Ed25519 key (algorithm EdDSA)");
        assertThatThrownBy(() -> new TreeHeadVerifier(ed448.getPublic())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the public key is not an Ed25519 key (algorithm EdDSA)");
        assertThat(new TreeHeadSigner(a).toString())
                .doesNotContain(HexFormat.of().formatHex(a.getPrivate().getEncoded()));
    }

    @Test
    void signedHeadValidatesItsSignatureLength() {
        assertThatThrownBy(() -> new SignedTreeHead(HEAD, "ed25519:0000000000000000", new byte[63]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("an Ed25519 signature is 64 bytes, not 63");
    }
}
