package org.ttyaudit.server.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecretTokensTest {
    private final SecretTokens tokens = new SecretTokens();

    @ParameterizedTest
    @EnumSource(TokenKind.class)
    void tokensArePrefixedBase64urlOf32RandomBytes(TokenKind kind) {
        String t = tokens.generate(kind).reveal();
        assertThat(t).startsWith(kind.prefix()).hasSize(4 + 43);
        String random = t.substring(4);
        assertThat(random).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(random)).hasSize(32);
        assertThat(SecretTokens.isWellFormed(kind, t)).isTrue();
        assertThat(SecretTokens.kindOf(t)).contains(kind);
    }

    @Test
    void prefixesAreTheDocumentedOnes() {
        assertThat(TokenKind.API.prefix()).isEqualTo("tta_");
        assertThat(TokenKind.ENROLLMENT.prefix()).isEqualTo("tte_");
        assertThat(TokenKind.HOST.prefix()).isEqualTo("tth_");
        assertThat(TokenKind.WEB_SESSION.prefix()).isEqualTo("tts_");
    }

    @Test
    void tokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(tokens.generate(TokenKind.API).reveal())).isTrue();
        }
    }

    @Test
    void hashIsLowerCaseHexSha256OfTheToken() {
        // FIPS 180-2 example: SHA-256("abc").
        assertThat(SecretTokens.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        SecretToken t = tokens.generate(TokenKind.HOST);
        assertThat(t.hash()).isEqualTo(SecretTokens.hash(t.reveal())).matches("[0-9a-f]{64}");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        SecretToken t = tokens.generate(TokenKind.API);
        assertThat(t.toString()).isEqualTo("SecretToken[tta_…]").doesNotContain(t.reveal().substring(4));
        Holder holder = new Holder(t);
        assertThat(holder.toString()).doesNotContain(t.reveal().substring(4));
    }

    /** A record holding a token, as the service's results do: its generated toString must not leak either. */
    private record Holder(SecretToken token) {
    }

    @Test
    void wellFormednessChecksKindLengthAndAlphabet() {
        String api = tokens.generate(TokenKind.API).reveal();
        assertThat(SecretTokens.isWellFormed(TokenKind.HOST, api)).isFalse();
        assertThat(SecretTokens.isWellFormed(TokenKind.API, api + "A")).isFalse();
        assertThat(SecretTokens.isWellFormed(TokenKind.API, api.substring(0, api.length() - 1))).isFalse();
        assertThat(SecretTokens.isWellFormed(TokenKind.API, api.substring(0, 10) + "+" + api.substring(11)))
                .isFalse();
        assertThat(SecretTokens.isWellFormed(TokenKind.API, null)).isFalse();
        assertThat(SecretTokens.kindOf("xyz_abc")).isEmpty();
    }

    @Test
    void constantTimeEqualsComparesContent() {
        assertThat(SecretTokens.constantTimeEquals("tta_abc", "tta_abc")).isTrue();
        assertThat(SecretTokens.constantTimeEquals("tta_abc", "tta_abd")).isFalse();
        assertThat(SecretTokens.constantTimeEquals("tta_abc", "tta_ab")).isFalse();
        assertThat(SecretTokens.constantTimeEquals(null, "x")).isFalse();
        assertThat(SecretTokens.constantTimeEquals(null, null)).isFalse();
    }

    @Test
    void readablePasswordsUseOnlyUnambiguousCharacters() {
        String all = String.join("", java.util.stream.Stream.generate(() -> tokens.readablePassword(20))
                .limit(200).toList());
        assertThat(all).hasSize(4000).matches("[" + SecretTokens.READABLE_ALPHABET + "]+")
                .doesNotContain("0", "O", "1", "l", "I");
        assertThat(SecretTokens.READABLE_ALPHABET).hasSize(SecretTokens.READABLE_ALPHABET_SIZE);
        // 4000 draws from 56 symbols: every symbol shows up (missing one has probability < 1e-29).
        assertThat(all.chars().distinct().count()).isEqualTo(SecretTokens.READABLE_ALPHABET_SIZE);
    }
}
