package org.ttyaudit.gateway.record;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SecretPromptsTest {

    @ParameterizedTest
    @ValueSource(strings = {"Password: ", "[sudo] password for alice: ", "alice@web1's password: ",
            "Enter passphrase for key '/home/alice/.ssh/id_ed25519': ", "Verification code: ", "New password: ",
            "Retype new password: ", "Passwort: ", "PIN? ", "\u001b[1mPassword:\u001b[0m "})
    void aLineTypedAtAPasswordPromptIsSecretUpToItsEnter(String prompt) {
        SecretPrompts p = new SecretPrompts(false);
        out(p, "some earlier output\r\n" + prompt);
        byte[] typed = "s3cret\rls\r".getBytes(StandardCharsets.UTF_8);
        assertThat(p.secretPrefix(typed, 0, typed.length)).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@web1:~$ ", "password changed\r\n$ ", ">>> ", "Password: ok\r\n"})
    void ordinaryPromptsAreNot(String prompt) {
        SecretPrompts p = new SecretPrompts(false);
        out(p, prompt);
        byte[] typed = "ls\r".getBytes(StandardCharsets.UTF_8);
        assertThat(p.secretPrefix(typed, 0, typed.length)).isZero();
    }

    @Test
    void theEchoOfTheUsersOwnTypingIsNoPrompt() {
        SecretPrompts p = new SecretPrompts(false);
        out(p, "$ ");
        for (char c : "echo password: x".toCharArray()) {
            assertThat(p.secretPrefix(new byte[]{(byte) c}, 0, 1)).isZero();
            out(p, String.valueOf(c));
        }
        assertThat(p.secretPrefix(new byte[]{'\r'}, 0, 1)).isZero();
    }

    @Test
    void aSecretTypedOneKeyAtATimeStaysSecretUntilEnter() {
        SecretPrompts p = new SecretPrompts(false);
        out(p, "Password: ");
        for (char c : "abc".toCharArray()) {
            assertThat(p.secretPrefix(new byte[]{(byte) c}, 0, 1)).isEqualTo(1);
        }
        assertThat(p.secretPrefix(new byte[]{'\r'}, 0, 1)).isEqualTo(1);
        out(p, "\r\n$ ");
        assertThat(p.secretPrefix(new byte[]{'l'}, 0, 1)).isZero();
    }

    @Test
    void withEchoOffInThePtyRequestEverythingTypedIsSecret() {
        SecretPrompts p = new SecretPrompts(true);
        out(p, "$ ");
        byte[] typed = "ls\r".getBytes(StandardCharsets.UTF_8);
        assertThat(p.secretPrefix(typed, 0, typed.length)).isEqualTo(3);
    }

    @Test
    void bulkOutputBeforeThePromptDoesNotHideIt() {
        SecretPrompts p = new SecretPrompts(false);
        out(p, "x".repeat(100_000) + "\r\n" + "y".repeat(50_000) + "\r\nPassword: ");
        assertThat(p.secretPrefix(new byte[]{'a'}, 0, 1)).isEqualTo(1);
    }

    private static void out(SecretPrompts p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.output(b, 0, b.length);
    }
}
