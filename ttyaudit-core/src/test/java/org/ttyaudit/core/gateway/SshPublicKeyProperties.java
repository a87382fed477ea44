package org.ttyaudit.core.gateway;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** A key line is outside input: whatever it is, parsing gives a key or an SshKeyFormatException, nothing else. */
class SshPublicKeyProperties {

    @Property(tries = 2000)
    void anyTextGivesAKeyOrTheDocumentedException(@ForAll @StringLength(max = 400) String text) {
        check(text);
    }

    @Property(tries = 2000)
    void anyBytesUnderAKnownTypeToo(@ForAll("types") String type, @ForAll byte[] bytes) {
        check(type + " " + Base64.getEncoder().encodeToString(bytes));
    }

    @Property(tries = 2000)
    void aValidKeyCutOrFlippedAnywhereIsRefusedOrStillValid(@ForAll @IntRange(min = 0, max = 60) int cut,
                                                             @ForAll @IntRange(min = 0, max = 50) int flip,
                                                             @ForAll byte value) {
        byte[] blob = Base64.getDecoder().decode(TestKeys.ed25519(7, null).split(" ")[1]);
        byte[] changed = java.util.Arrays.copyOf(blob, Math.min(cut, blob.length));
        if (flip < changed.length) {
            changed[flip] = value;
        }
        check("ssh-ed25519 " + Base64.getEncoder().encodeToString(changed) + " c");
    }

    @Property(tries = 500)
    void aParsedKeyReadsBackTheSame(@ForAll @IntRange(min = 0, max = 1000) int seed,
                                    @ForAll("comments") String comment) {
        SshPublicKey k = SshPublicKey.parse(TestKeys.ed25519(seed, comment));
        assertThat(SshPublicKey.parse(k.line())).isEqualTo(k);
        assertThat(k.fingerprint()).startsWith("SHA256:").doesNotEndWith("=").hasSize(7 + 43);
    }

    private static void check(String line) {
        try {
            SshPublicKey k = SshPublicKey.parse(line);
            assertThat(SshPublicKey.parse(k.line())).isEqualTo(k);
        } catch (SshKeyFormatException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp521",
                "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");
    }

    @Provide
    Arbitrary<String> comments() {
        return Arbitraries.strings().alpha().numeric().withChars(' ', '@', '.', '-').ofMaxLength(40)
                .map(String::strip).map(s -> s.isEmpty() ? null : s);
    }
}
