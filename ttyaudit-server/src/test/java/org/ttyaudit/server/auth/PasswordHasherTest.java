package org.ttyaudit.server.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ttyaudit.server.auth.PasswordHasher.Parameters;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest {

    /**
     * The Argon2id v=0x13 case of the reference implementation's test suite (P-H-C/phc-winner-argon2,
     * src/test.c: {@code hashtest(version, 2, 8, 1, "password", "somesalt", "9dfeb910…", "$argon2id$v=19$m=256,
     * t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", Argon2_id)}): t=2, m=2^8 KiB, p=1. The
     * same string is in the tests of RustCrypto's argon2 and libsodium-compatible libraries.
     */
    private static final String REFERENCE_PHC =
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
    private static final String REFERENCE_HEX = "9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe";

    private static final Parameters CHEAP = new Parameters(64, 1, 1);

    @Test
    void bouncyCastleArgon2idMatchesRfc9106Section5_3() {
        // RFC 9106 §5.3 "Argon2id Test Vectors": 32 KiB, 3 passes, 4 lanes, password 32×0x01, salt 16×0x02,
        // secret 8×0x03, associated data 12×0x04, 32-byte tag.
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(32).withIterations(3).withParallelism(4)
                .withSalt(filled(16, 0x02)).withSecret(filled(8, 0x03)).withAdditional(filled(12, 0x04))
                .build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(params);
        byte[] tag = new byte[32];
        g.generateBytes(filled(32, 0x01), tag);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void deriveAndEncodeReproduceTheReferenceImplementation() {
        byte[] salt = "somesalt".getBytes(StandardCharsets.US_ASCII);
        Parameters p = new Parameters(256, 2, 1);
        byte[] hash = PasswordHasher.derive("password", salt, p, 32);
        assertThat(HexFormat.of().formatHex(hash)).isEqualTo(REFERENCE_HEX);
        assertThat(PasswordHasher.encode(p, salt, hash)).isEqualTo(REFERENCE_PHC);
    }

    @Test
    void verifiesTheReferenceStringAndRejectsOtherPasswords() {
        PasswordHasher hasher = new PasswordHasher();
        assertThat(hasher.verify("password", REFERENCE_PHC)).isTrue();
        assertThat(hasher.verify("passwore", REFERENCE_PHC)).isFalse();
        assertThat(hasher.verify("Password", REFERENCE_PHC)).isFalse();
        assertThat(hasher.verify("", REFERENCE_PHC)).isFalse();
    }

    @Test
    void defaultHashIsOwaspArgon2idInPhcFormatAndRoundTrips() {
        PasswordHasher hasher = new PasswordHasher();
        String encoded = hasher.hash("correct horse battery staple");
        assertThat(encoded).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("correct horse battery staple", encoded)).isTrue();
        assertThat(hasher.verify("correct horse battery stapl", encoded)).isFalse();
        assertThat(hasher.verify("correct horse battery staple ", encoded)).isFalse();
        assertThat(hasher.needsRehash(encoded)).isFalse();
    }

    @Test
    void sameInputGivesDifferentSaltsAndHashes() {
        PasswordHasher hasher = new PasswordHasher(CHEAP, new SecureRandom());
        String a = hasher.hash("the same password");
        String b = hasher.hash("the same password");
        assertThat(a).isNotEqualTo(b);
        assertThat(PasswordHasher.decode(a).salt()).isNotEqualTo(PasswordHasher.decode(b).salt());
        assertThat(hasher.verify("the same password", a)).isTrue();
        assertThat(hasher.verify("the same password", b)).isTrue();
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8() {
        PasswordHasher hasher = new PasswordHasher(CHEAP, new SecureRandom());
        String encoded = hasher.hash("пароль-密码-🔑");
        assertThat(hasher.verify("пароль-密码-🔑", encoded)).isTrue();
        assertThat(hasher.verify("пароль-密码-", encoded)).isFalse();
        // The UTF-8 encoding is what is hashed: the same bytes through the reference parameters agree.
        PasswordHasher.Encoded e = PasswordHasher.decode(encoded);
        assertThat(PasswordHasher.derive("пароль-密码-🔑", e.salt(), e.parameters(), 32)).isEqualTo(e.hash());
    }

    @Test
    void weakerParametersNeedRehash() {
        PasswordHasher current = new PasswordHasher();
        assertThat(current.needsRehash(REFERENCE_PHC)).as("m=256 (and an 8-byte salt)").isTrue();
        String fewerPasses = PasswordHasher.encode(new Parameters(65_536, 1, 1), new byte[16], new byte[32]);
        assertThat(current.needsRehash(fewerPasses)).as("t=1 < 2 even with more memory").isTrue();
        String lessMemory = PasswordHasher.encode(new Parameters(19_455, 2, 1), new byte[16], new byte[32]);
        assertThat(current.needsRehash(lessMemory)).isTrue();
        String stronger = PasswordHasher.encode(new Parameters(65_536, 3, 4), new byte[16], new byte[32]);
        assertThat(current.needsRehash(stronger)).isFalse();
        String shortHash = PasswordHasher.encode(Parameters.OWASP, new byte[16], new byte[16]);
        assertThat(current.needsRehash(shortHash)).isTrue();
        String shortSalt = PasswordHasher.encode(Parameters.OWASP, new byte[8], new byte[32]);
        assertThat(current.needsRehash(shortSalt)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "password",
            "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ=$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4=",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR_uIPnA4rEsF5h7TKyQwu9U1bMCHGi-4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4$x",
            "$argon2id$v=19$m=99999999999,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=0,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=1000,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29t$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQ",
    })
    void malformedStoredStringsAreErrorsNotWrongPasswords(String encoded) {
        PasswordHasher hasher = new PasswordHasher(CHEAP, new SecureRandom());
        assertThatThrownBy(() -> hasher.verify("password", encoded))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stored password hash");
    }

    @Test
    void nullStoredHashIsAnError() {
        PasswordHasher hasher = new PasswordHasher(CHEAP, new SecureRandom());
        assertThatThrownBy(() -> hasher.verify("password", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no password hash stored");
    }

    @Test
    void parametersAreValidated() {
        assertThatThrownBy(() -> new Parameters(7, 1, 1)).hasMessageContaining("memory must be 8..");
        assertThatThrownBy(() -> new Parameters(64, 1, 9)).hasMessageContaining("memory must be 72..");
        assertThatThrownBy(() -> new Parameters(64, 0, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new Parameters(64, 1, 0)).hasMessageContaining("parallelism");
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
