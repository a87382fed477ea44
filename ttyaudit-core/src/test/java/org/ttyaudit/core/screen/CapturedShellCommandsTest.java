package org.ttyaudit.core.screen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays what real bash 5.2 ({@code --norc --noprofile -i}, readline defaults) and real zsh 5.9 ({@code -f -i})
 * wrote while keys were typed in a pseudo-terminal (see {@code capture/capture.py}), and checks the commands the
 * tracker reconstructs from the screen.
 */
class CapturedShellCommandsTest {
    private static List<String> commandsOf(String shell, String scenario) {
        CapturedSession session = CapturedSession.load(shell + "-" + scenario);
        List<ScreenCommand> commands = session.replay();
        List<Long> enters = session.enterOffsets();
        // Each command is dated by the Enter that ran it.
        assertThat(commands).allSatisfy(c -> assertThat(enters).contains(c.offsetMicros()));
        return commands.stream().map(ScreenCommand::commandLine).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void plainCommandIsTakenAndEmptyEnterIsNot(String shell) {
        assertThat(commandsOf(shell, "plain")).containsExactly("echo hello", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void backspacedCharactersAreGone(String shell) {
        assertThat(commandsOf(shell, "backspace")).containsExactly("echo hello world");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void ctrlUDiscardsWhatWasTypedBefore(String shell) {
        assertThat(commandsOf(shell, "ctrl-u")).containsExactly("echo right");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void leftArrowInsertsInTheMiddle(String shell) {
        assertThat(commandsOf(shell, "left-insert")).containsExactly("echo hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void homeThenInsertGoesToTheStart(String shell) {
        // bash: the Home key; zsh -f does not bind Home, so the capture uses Ctrl-A there.
        assertThat(commandsOf(shell, "home-insert")).containsExactly("echo start");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void historyRecallThenEditIsTheEditedLine(String shell) {
        assertThat(commandsOf(shell, "history")).containsExactly("echo first", "echo second");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void tabCompletionOfAFileNameIsInTheCommand(String shell) {
        assertThat(commandsOf(shell, "tab-file")).containsExactly("cat unique_alpha_file.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void completionListBelowThePromptIsNotPartOfTheCommand(String shell) {
        assertThat(commandsOf(shell, "tab-list")).containsExactly("ls cand_two.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void reverseSearchRunsTheFoundLine(String shell) {
        assertThat(commandsOf(shell, "ctrl-r"))
                .containsExactly("echo needle_one", "echo other", "echo needle_one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void forLoopOverContinuationPromptsIsOneCommand(String shell) {
        assertThat(commandsOf(shell, "for-loop")).containsExactly("for i in 1 2; do\necho $i\ndone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void backslashContinuationIsOneCommand(String shell) {
        assertThat(commandsOf(shell, "backslash")).containsExactly("echo one \\\ntwo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void ctrlCOnAHalfTypedLineRunsNothing(String shell) {
        assertThat(commandsOf(shell, "ctrl-c")).containsExactly("echo after");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void longCommandWrappingPastTheRightMarginIsOneLine(String shell) {
        assertThat(commandsOf(shell, "wrap")).containsExactly("echo " + "abcdefghij".repeat(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void utf8TextWithWideCharactersIsKept(String shell) {
        assertThat(commandsOf(shell, "utf8")).containsExactly("echo héllo 日本");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void nothingIsTakenFromInsideVimOrLess(String shell) {
        assertThat(commandsOf(shell, "vim-less"))
                .containsExactly("vim -u NONE -N notes.txt", "less cand_one.txt", "echo done");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void commandsAfterTheScreenScrolledAreFound(String shell) {
        assertThat(commandsOf(shell, "scroll"))
                .containsExactly("seq 40", "echo after scroll", "echo " + "x".repeat(150));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void hereDocumentIsOneCommand(String shell) {
        assertThat(commandsOf(shell, "heredoc")).containsExactly("cat <<EOF\nhello\nEOF");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void enterWithTheCursorInsideAWrappedLineTakesTheWholeLine(String shell) {
        assertThat(commandsOf(shell, "enter-mid-line")).containsExactly("echo " + "y".repeat(100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void lineRedrawnAfterCtrlLIsFound(String shell) {
        assertThat(commandsOf(shell, "ctrl-l")).containsExactly("seq 3", "echo cleared");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void bracketedPasteThenEnterIsOneCommand(String shell) {
        assertThat(commandsOf(shell, "paste")).containsExactly("echo pasted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void pasteOfSeveralLinesThenEnterRunsThemAll(String shell) {
        assertThat(commandsOf(shell, "paste-lines")).containsExactly("echo a\necho b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void promptAfterOutputWithoutANewlineIsStripped(String shell) {
        // bash prints its prompt right after "foo"; zsh first marks the missing newline (PROMPT_SP) and wraps.
        assertThat(commandsOf(shell, "no-newline")).containsExactly("printf foo", "echo next");
    }
}
