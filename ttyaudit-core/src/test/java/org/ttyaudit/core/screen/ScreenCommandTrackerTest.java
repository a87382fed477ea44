package org.ttyaudit.core.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracker on hand-written streams, for what the captured sessions do not show. The "shell" here echoes like
 * a readline shell does: the typed text, and CR LF when the line is accepted.
 */
class ScreenCommandTrackerTest {
    private static final String E = "\u001b";
    private static final String PROMPT = "$ ";

    private final ScreenCommandTracker tracker = new ScreenCommandTracker(40, 10);
    private long now = 1_000_000;

    private void out(String s) {
        now += 200_000;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        tracker.onOutput(now, b, 0, b.length);
    }

    private void in(String s) {
        now += 200_000;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        tracker.onInput(now, b, 0, b.length);
    }

    /** Types the text key by key with the shell echoing it, then Enter with the shell's CR LF. */
    private void typeLine(String text) {
        for (char c : text.toCharArray()) {
            in(String.valueOf(c));
            out(String.valueOf(c));
        }
        in("\r");
        out("\r\n");
    }

    private List<String> commands() {
        return tracker.drainCommands().stream().map(ScreenCommand::commandLine).toList();
    }

    @Test
    void commandIsDatedByItsEnter() {
        out(PROMPT);
        typeLine("ls");
        long enterAt = now - 200_000;
        List<ScreenCommand> drained = tracker.drainCommands();
        assertThat(drained).containsExactly(new ScreenCommand(enterAt, "ls"));
        assertThat(tracker.drainCommands()).as("drained once").isEmpty();
    }

    @Test
    void newlineInsideABracketedPasteIsNotEnter() {
        out(PROMPT);
        in(E + "[200~echo a\r\necho b" + E + "[201~");
        out("echo a\r\necho b");
        out("\r\n\r\n");
        assertThat(commands()).isEmpty();
        in("\r");
        // As bash does: back to the prompt's row, redraw the pasted lines, then end the line.
        out(E + "[3A" + E + "[2Cecho a\r\necho b\r\n");
        assertThat(commands()).containsExactly("echo a\necho b");
    }

    @Test
    void enterInTheAlternateScreenIsNoCommand() {
        out(PROMPT);
        typeLine("vim");
        out(E + "[?1049h" + E + "[H" + E + "[2J~\r\n~");
        in(":wq\r");
        out("\r\n\r\n");
        out(E + "[?1049l" + PROMPT);
        typeLine("pwd");
        assertThat(commands()).containsExactly("vim", "pwd");
    }

    @Test
    void ctrlCAtAContinuationPromptDropsTheWholeCommand() {
        out(PROMPT);
        typeLine("for i in 1; do");
        out("> ");
        in("ech");
        out("ech");
        in("\u0003");
        out("^C\r\n" + PROMPT);
        typeLine("date");
        assertThat(commands()).containsExactly("date");
    }

    @Test
    void primaryPromptAfterAnUnfinishedLookingLineEmitsItAsItIs() {
        out(PROMPT);
        // The shell rejects this at once (syntax error) instead of asking for more.
        typeLine("echo 'x");
        out("bash: unexpected EOF\r\n" + PROMPT);
        assertThat(commands()).isEmpty();
        in("l");
        assertThat(commands()).containsExactly("echo 'x");
    }

    @Test
    void linesTypedAheadAreEachTaken() {
        out(PROMPT);
        in("true\rfalse\r");
        out("true\r\n");
        out(PROMPT + "false\r\n");
        out(PROMPT);
        assertThat(commands()).containsExactly("true", "false");
    }

    @Test
    void promptRedrawnAfterAResizeIsStripped() {
        out(PROMPT);
        in("u");
        out("u");
        tracker.onResize(20, 5);
        out("\r" + E + "[K" + PROMPT + "uname");
        in("name\r");
        out("\r\n");
        assertThat(commands()).containsExactly("uname");
    }

    @Test
    void commandLongerThanTheScreenKeepsWhatIsStillVisible() {
        out(PROMPT);
        String longText = "echo " + "z".repeat(500);
        typeLine(longText);
        List<String> got = commands();
        assertThat(got).hasSize(1);
        assertThat(longText).endsWith(got.get(0));
    }

    @Test
    void controlKeysAndEscapeSequencesInInputDoNotBreakTracking() {
        out(PROMPT);
        in(E + "[A" + E + "OB" + E + "b" + E + "[1;5C");
        typeLine("ok");
        assertThat(commands()).containsExactly("ok");
    }

    @Test
    void nonPositiveSizeIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> new ScreenCommandTracker(80, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("terminal rows must be positive, got 0");
    }
}
