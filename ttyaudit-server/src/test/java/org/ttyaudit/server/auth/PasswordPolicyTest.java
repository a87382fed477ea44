package org.ttyaudit.server.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordPolicyTest {

    @Test
    void twelveCharactersAreEnoughElevenAreNot() {
        assertThat(PasswordPolicy.refusal("alice", "abcdefghijkl")).isEmpty();
        assertThat(PasswordPolicy.refusal("alice", "abcdefghijk"))
                .contains("the password is too short (11 characters); at least 12 are required");
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        String elevenEmoji = "🔑".repeat(11); // 22 UTF-16 units
        assertThat(PasswordPolicy.refusal("alice", elevenEmoji)).hasValueSatisfying(r -> assertThat(r)
                .contains("(11 characters)"));
        assertThat(PasswordPolicy.refusal("alice", "🔑".repeat(12))).isEmpty();
    }

    @Test
    void theUserNameIsRefusedInAnyCase() {
        assertThat(PasswordPolicy.refusal("administrator", "Administrator"))
                .contains("the password must not be the user name");
        assertThat(PasswordPolicy.refusal("administrator", "administrator1")).isEmpty();
    }

    @Test
    void emptyAndOverlongAreRefused() {
        assertThat(PasswordPolicy.refusal("alice", "")).hasValueSatisfying(r -> assertThat(r).contains("empty"));
        assertThat(PasswordPolicy.refusal("alice", null)).hasValueSatisfying(r -> assertThat(r).contains("empty"));
        assertThat(PasswordPolicy.refusal("alice", "x".repeat(1025)))
                .contains("the password is too long (1025 characters); at most 1024 are allowed");
        assertThat(PasswordPolicy.refusal("alice", "x".repeat(1024))).isEmpty();
    }

    @Test
    void checkThrowsAnInvalidAccountException() {
        assertThatThrownBy(() -> PasswordPolicy.check("bob", "short"))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.problem())
                        .isEqualTo(AccountException.Problem.INVALID))
                .hasMessageContaining("too short");
    }
}
