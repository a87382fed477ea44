package org.ttyaudit.core.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshPublicKeyTest {
    /** Made by ssh-keygen -t ed25519; fingerprint as `ssh-keygen -lf` printed it. */
    private static final String REAL_ED25519 = "ssh-ed25519 "
            + "AAAAC3NzaC1lZDI1NTE5AAAAII8bXwzbumH512vgSs28c+ePM9j2b4N/cHLcewoT33YC alice@laptop";
    private static final String REAL_ED25519_FINGERPRINT = "SHA256:17dqPni2NmXP+lLGvSL3Aw8BaSUiMPr752kUBFLeGQE";

    @Test
    void readsTypeBlobCommentAndFingerprint() {
        SshPublicKey k = SshPublicKey.parse("  " + REAL_ED25519 + "\n");

        assertThat(k.type()).isEqualTo("ssh-ed25519");
        assertThat(k.comment()).isEqualTo("alice@laptop");
        assertThat(k.line()).isEqualTo(REAL_ED25519);
        assertThat(k.fingerprint()).isEqualTo(REAL_ED25519_FINGERPRINT);
    }

    @Test
    void aCommentMayHaveSpacesAndMayBeAbsent() {
        String bare = TestKeys.ed25519(1, null);
        assertThat(SshPublicKey.parse(bare).comment()).isEmpty();
        assertThat(SshPublicKey.parse(bare).line()).isEqualTo(bare);
        assertThat(SshPublicKey.parse(bare + "\tmy  work laptop ").comment()).isEqualTo("my  work laptop");
    }

    @Test
    void rsaAndEcdsaKeysOfTheRightShapeAreAccepted() {
        String rsa = Base64.getEncoder().encodeToString(TestKeys.blob("ssh-rsa", new byte[]{1, 0, 1},
                new byte[257]));
        assertThat(SshPublicKey.parse("ssh-rsa " + rsa).type()).isEqualTo("ssh-rsa");
        String ec = Base64.getEncoder().encodeToString(TestKeys.blob("ecdsa-sha2-nistp256",
                "nistp256".getBytes(StandardCharsets.US_ASCII), new byte[65]));
        assertThat(SshPublicKey.parse("ecdsa-sha2-nistp256 " + ec + " x").comment()).isEqualTo("x");
    }

    @Test
    void optionsAreRefusedWithAReason() {
        assertThatThrownBy(() -> SshPublicKey.parse("from=\"10.0.0.0/8\" " + REAL_ED25519))
                .isInstanceOf(SshKeyFormatException.class).hasMessageContaining("options are not supported");
        assertThatThrownBy(() -> SshPublicKey.parse("no-pty " + REAL_ED25519))
                .isInstanceOf(SshKeyFormatException.class).hasMessageContaining("options");
    }

    @Test
    void aBlobOfAnotherTypeIsRefused() {
        String blob = REAL_ED25519.split(" ")[1];
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-rsa " + blob)).isInstanceOf(SshKeyFormatException.class)
                .hasMessageContaining("another type");
        String ec384 = Base64.getEncoder().encodeToString(TestKeys.blob("ecdsa-sha2-nistp256",
                "nistp384".getBytes(StandardCharsets.US_ASCII), new byte[97]));
        assertThatThrownBy(() -> SshPublicKey.parse("ecdsa-sha2-nistp256 " + ec384))
                .isInstanceOf(SshKeyFormatException.class).hasMessageContaining("another curve");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "ssh-ed25519", "ssh-ed25519 !!!notbase64",
            "ssh-dss AAAAB3NzaC1kc3MAAACBAP1", "ssh-ed25519-cert-v01@openssh.com AAAA",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5"})
    void malformedLinesAreRefused(String line) {
        assertThatThrownBy(() -> SshPublicKey.parse(line)).isInstanceOf(SshKeyFormatException.class);
    }

    @Test
    void trailingBytesAndShortKeysAreRefused() {
        byte[] key = new byte[32];
        byte[] extra = TestKeys.blob("ssh-ed25519", key, new byte[]{1});
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + Base64.getEncoder().encodeToString(extra)))
                .isInstanceOf(SshKeyFormatException.class).hasMessageContaining("after the ssh-ed25519 key");
        byte[] shortKey = TestKeys.blob("ssh-ed25519", new byte[31]);
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + Base64.getEncoder().encodeToString(shortKey)))
                .isInstanceOf(SshKeyFormatException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void controlCharactersInTheCommentAndSeveralLinesAreRefused() {
        assertThatThrownBy(() -> SshPublicKey.parse(TestKeys.ed25519(2, "a\u001b[31mb")))
                .isInstanceOf(SshKeyFormatException.class).hasMessageContaining("control");
        assertThatThrownBy(() -> SshPublicKey.parse(TestKeys.ed25519(2, "x") + "\n" + TestKeys.ed25519(3, "y")))
                .isInstanceOf(SshKeyFormatException.class).hasMessageContaining("several lines");
    }

    @Test
    void theBlobIsCanonical() {
        // base64 with a missing padding decodes to the same key; the stored form is re-encoded
        String blob = TestKeys.ed25519(4, null).split(" ")[1];
        assertThat(SshPublicKey.parse("ssh-ed25519 " + blob).blob()).isEqualTo(blob);
    }
}
