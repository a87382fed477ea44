package org.ttyaudit.core.screen;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScreenCommandTracker#forLogin}: a login watched from its first byte, as sshd and bash produce it (the
 * byte sequences are the ones the SSH gateway recorded from OpenSSH's sshd with PrintLastLog and PrintMotd).
 */
class LoginBannerTrackerTest {
    private static final String LAST_LOGIN = "Last login: Sun Dec  6 20:53:49 2026 from 127.0.0.1\r\r\n";
    private static final String MOTD = "\r\nThe programs included with the Debian GNU/Linux system are free software;\r\n"
            + "the exact distribution terms for each program are described in the\r\n"
            + "individual files in /usr/share/doc/*/copyright.\r\n\r\n"
            + "Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\r\npermitted by applicable law.\r\n";
    private static final String PROMPT = "\u001b[?2004hroot@vm:~# ";
    private static final String TYPED = "echo typed-$((6*7))";
    /** bash after reading the typed-ahead line: its prompt, readline's redisplay, the command's output. */
    private static final String RAN = PROMPT + TYPED + "\r\n\u001b[?2004l\rtyped-42\r\n" + PROMPT;

    private final ScreenCommandTracker tracker = ScreenCommandTracker.forLogin(80, 24);
    private long now = 1_000_000;

    private void out(String s) {
        now += 1_000;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        tracker.onOutput(now, b, 0, b.length);
    }

    private void in(String s) {
        now += 1_000;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        tracker.onInput(now, b, 0, b.length);
    }

    private List<String> commands() {
        return tracker.drainCommands().stream().map(ScreenCommand::commandLine).toList();
    }

    @Test
    void aLineTypedBeforeTheBannerIsTakenFromItsEchoAfterIt() {
        in(TYPED + "\r");
        out(LAST_LOGIN + MOTD);
        out(TYPED + "\r\n");   // the target's terminal echoes the type-ahead
        out(RAN);
        assertThat(commands()).containsExactly(TYPED);
    }

    @Test
    void theEchoMayComeBeforeTheBannerOrInsideIt() {
        in(TYPED + "\r");
        out(TYPED + "\r\n" + LAST_LOGIN + MOTD + RAN);
        assertThat(commands()).containsExactly(TYPED);

        ScreenCommandTracker other = ScreenCommandTracker.forLogin(80, 24);
        byte[] typed = (TYPED + "\r").getBytes(StandardCharsets.UTF_8);
        other.onInput(1, typed, 0, typed.length);
        byte[] out = (LAST_LOGIN + "Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\r\n" + TYPED
                + "\r\npermitted by applicable law.\r\n" + RAN).getBytes(StandardCharsets.UTF_8);
        other.onOutput(2, out, 0, out.length);
        assertThat(other.drainCommands()).extracting(ScreenCommand::commandLine).containsExactly(TYPED);
    }

    /** On a loaded host the banner arrives in pieces, and the first key may come between two of them. */
    @Test
    void aLineTypedWhileABannerLineIsHalfDrawnIsNeverTheRestOfIt() {
        out(LAST_LOGIN.substring(0, 24));   // "Last login: Sun Dec  6 2", then a key a millisecond later
        in(TYPED + "\r");
        out(LAST_LOGIN.substring(24) + MOTD);
        out(TYPED + "\r\n");
        out(RAN);
        assertThat(commands()).containsExactly(TYPED);
    }

    @Test
    void aLineTypedWhileABannerLineIsHalfDrawnAndNeverEchoedIsNoCommand() {
        out(LAST_LOGIN.substring(0, 24));
        in("secret-ish\r");
        out(LAST_LOGIN.substring(24) + MOTD + PROMPT);
        assertThat(commands()).isEmpty();
    }

    @Test
    void withoutAnEchoBeforeThePromptTheShellsRedisplayIsTheLine() {
        in(TYPED + "\r");
        out(LAST_LOGIN + MOTD + RAN);
        assertThat(commands()).containsExactly(TYPED);
    }

    @Test
    void theTerminalsLineEditingIsAppliedToTheTypedText() {
        in("ech\u007fho typo\u0017typed-$((6*7))\r");
        out(LAST_LOGIN + MOTD + "ech\b \bho typo\b \b\b \b\b \b\b \btyped-$((6*7))\r\n" + RAN);
        assertThat(commands()).containsExactly(TYPED);
    }

    @Test
    void aBannerIsNoCommandEvenWhenNothingEchoesTheTypedLine() {
        in("secret-ish\r");
        out(LAST_LOGIN + MOTD + PROMPT);
        assertThat(commands()).isEmpty();
        // At the prompt, after a pause: the line typed ahead is forgotten, the next one is taken as usual.
        now += 1_000_000;
        in("l");
        out("l");
        in("s\t\r");
        out("s -la\r\n");
        out("total 0\r\n" + PROMPT);
        assertThat(commands()).containsExactly("ls -la");
    }

    @Test
    void aSessionWithoutTypeAheadIsUnchanged() {
        out(LAST_LOGIN + MOTD + PROMPT);
        now += 1_000_000;
        in("e");
        out("e");
        in("cho x\r");
        out("cho x\r\nx\r\n" + PROMPT);
        assertThat(commands()).containsExactly("echo x");
    }

    @Test
    void typedAtAPromptThatJustAppearedTheLineIsTakenAsUsual() {
        out(LAST_LOGIN + MOTD + PROMPT);
        in("ec\t typed-$((6*7))\r");   // completion, within the same millisecond as the prompt
        out("echo typed-$((6*7))\r\n\u001b[?2004l\rtyped-42\r\n" + PROMPT);
        assertThat(commands()).containsExactly(TYPED);
    }
}
