package org.ttyaudit.recorder.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real bash, zsh and fish in a real pseudo-terminal, with the user's own rc files, through MarkerStripper. */
class RealShellTest {
    @TempDir
    Path work;

    private Path home() throws Exception {
        return Files.createDirectories(work.resolve("home"));
    }

    private Map<String, String> env(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("TERM", "xterm");
        env.put("LANG", "C.UTF-8");
        env.put("USER", "tester");
        return env;
    }

    private static void assumeShell(String shell) {
        assumeTrue(RealShell.available("python3"), "python3 is needed to drive a pseudo-terminal");
        assumeTrue(RealShell.available(shell), shell + " is not installed");
    }

    private static final List<String> TYPED = List.of(
            "echo hi\n",
            "for i in 1 2\ndo echo $i\ndone\n",
            "echo a \\\nb\n",
            " echo secret\n",
            "false\n",
            "cd /tmp\n",
            "ll\n",
            "printf '%s\\n' 'x;y\\z' \"$PWD\"\n",
            "echo \"leaks=$(env | grep -c _ta_)\"\n");

    @Test
    void bashReportsExactCommandsCwdsAndExitCodesAndKeepsTheUsersSetup() throws Exception {
        assumeShell("bash");
        Path home = home();
        Files.writeString(home.resolve(".bashrc"), """
                HISTCONTROL=ignoreboth
                HISTFILE=~/.bash_history
                PROMPT_COMMAND='echo -n "[user-pc]"'
                alias ll='echo ALIAS-OK'
                PS1='$ '
                """);
        RealShell shell = new RealShell().run(List.of("bash"), false, env(home), home, work, TYPED);

        String h = home.toString();
        assertThat(shell.commands()).containsExactly(
                "C cmd=[echo hi] cwd=[" + h + "]", "D 0",
                // bash keeps a multi-line command as one history entry (cmdhist), joined with "; "
                "C cmd=[for i in 1 2; do echo $i; done] cwd=[" + h + "]", "D 0",
                "C cmd=[echo a b] cwd=[" + h + "]", "D 0",
                "C cmd=[ echo secret] cwd=[" + h + "]", "D 0",
                "C cmd=[false] cwd=[" + h + "]", "D 1",
                "C cmd=[cd /tmp] cwd=[" + h + "]", "D 0",
                "C cmd=[ll] cwd=[/tmp]", "D 0",
                "C cmd=[printf '%s\\n' 'x;y\\z' \"$PWD\"] cwd=[/tmp]", "D 0",
                "C cmd=[" + TYPED.get(8).strip() + "] cwd=[/tmp]", "D 0");
        assertCommonPromises(shell);
        assertThat(shell.count("A")).isEqualTo(TYPED.size() + 1);
        // The user's ignoreboth still keeps the leading-space command out of their history file.
        assertThat(Files.readString(home.resolve(".bash_history")))
                .contains("echo hi", "cd /tmp").doesNotContain("secret");
    }

    private static void assertCommonPromises(RealShell shell) {
        assertThat(shell.forgeries()).isEmpty();
        assertThat(shell.visible).contains("ALIAS-OK", "x;y\\z", "hi\r\n", "1\r\n2\r\n", "a b\r\n");
        assertThat(shell.visible).doesNotContain("133;", "ttyaudit=", shell.nonce);
        // neither the nonce nor any of our variables reach child processes
        assertThat(shell.visible).contains("leaks=0\r\n");
    }

    @Test
    void bashLoginShellReadsTheProfileAndChainsArrayPromptCommandAndDebugTrap() throws Exception {
        assumeShell("bash");
        Path home = home();
        Files.writeString(home.resolve(".bash_profile"), """
                PROMPT_COMMAND=('echo -n "[pc1]"' 'echo -n "[pc2]"')
                trap 'debug_count=$((debug_count+1))' DEBUG
                alias ll='echo ALIAS-OK'
                PS1='$ '
                """);
        Files.writeString(home.resolve(".bashrc"), "echo NOT-FOR-LOGIN-SHELLS\n");
        List<String> typed = List.of("echo one\n", "(exit 3)\n", "echo \"dc=$((debug_count > 0))\"; shopt -q login_shell || echo EMULATED-LOGIN\n");
        RealShell shell = new RealShell().run(List.of("-bash"), false, env(home), home, work, typed);

        String h = home.toString();
        assertThat(shell.commands()).containsExactly(
                "C cmd=[echo one] cwd=[" + h + "]", "D 0",
                "C cmd=[(exit 3)] cwd=[" + h + "]", "D 3",
                "C cmd=[" + typed.get(2).strip() + "] cwd=[" + h + "]", "D 0");
        assertThat(shell.forgeries()).isEmpty();
        assertThat(shell.visible).contains("[pc1][pc2]", "dc=1", "EMULATED-LOGIN").doesNotContain("NOT-FOR-LOGIN");
        assertThat(shell.visible).doesNotContain("ttyaudit=");
    }

    @Test
    void bashSendsNoCommandLineRatherThanAWrongOneWhenHistoryCannotHoldIt() throws Exception {
        assumeShell("bash");
        Path home = home();
        // An old history file: its last line must never be reported for a line that did not reach history.
        Files.writeString(home.resolve(".bash_history"), "echo OLD\n");
        Files.writeString(home.resolve(".bashrc"), """
                declare -r HISTCONTROL=ignorespace
                PS1='$ '
                """);
        List<String> typed = List.of("echo one\n", " echo two\n", "set +o history\n", "echo three\n",
                "set -o history\n", "echo four\n");
        RealShell shell = new RealShell().run(List.of("bash"), false, env(home), home, work, typed);

        String h = home.toString();
        assertThat(shell.commands()).containsExactly(
                "C cmd=[echo one] cwd=[" + h + "]", "D 0",
                "C cmd=null cwd=[" + h + "]", "D 0",
                "C cmd=[set +o history] cwd=[" + h + "]", "D 0",
                "C cmd=null cwd=[" + h + "]", "D 0",
                "C cmd=null cwd=[" + h + "]", "D 0",
                "C cmd=[echo four] cwd=[" + h + "]", "D 0");
        assertThat(shell.forgeries()).isEmpty();
        assertThat(shell.visible).doesNotContain("readonly");
    }

    @Test
    void zshReportsExactCommandsCwdsAndExitCodesAndKeepsTheUsersSetup() throws Exception {
        assumeShell("zsh");
        Path home = home();
        Files.writeString(home.resolve(".zshenv"), "ZDOTDIR=$HOME/zdot\n");
        Path zdot = Files.createDirectories(home.resolve("zdot"));
        Files.writeString(zdot.resolve(".zshrc"), """
                setopt histignorespace
                HISTFILE=$HOME/.zsh_history
                SAVEHIST=100
                HISTSIZE=100
                user_precmd() { print -n "[user-precmd]" }
                precmd_functions+=(user_precmd)
                alias ll='echo ALIAS-OK'
                PS1='%# '
                """);
        RealShell shell = new RealShell().run(List.of("/usr/bin/zsh"), false, env(home), home, work, TYPED);

        String h = home.toString();
        assertThat(shell.commands()).containsExactly(
                "C cmd=[echo hi] cwd=[" + h + "]", "D 0",
                "C cmd=[for i in 1 2\ndo echo $i\ndone] cwd=[" + h + "]", "D 0",
                "C cmd=[echo a \\\nb] cwd=[" + h + "]", "D 0",
                "C cmd=[ echo secret] cwd=[" + h + "]", "D 0",
                "C cmd=[false] cwd=[" + h + "]", "D 1",
                "C cmd=[cd /tmp] cwd=[" + h + "]", "D 0",
                "C cmd=[ll] cwd=[/tmp]", "D 0",
                "C cmd=[printf '%s\\n' 'x;y\\z' \"$PWD\"] cwd=[/tmp]", "D 0",
                "C cmd=[" + TYPED.get(8).strip() + "] cwd=[/tmp]", "D 0");
        assertCommonPromises(shell);
        assertThat(shell.visible).contains("[user-precmd]");
        assertThat(shell.count("A")).isEqualTo(TYPED.size() + 1);
    }

    @Test
    void fishReportsExactCommandsCwdsAndExitCodes() throws Exception {
        assumeShell("fish");
        Path home = home();
        Path conf = Files.createDirectories(home.resolve(".config/fish"));
        Files.writeString(conf.resolve("config.fish"), """
                function user_prompt_hook --on-event fish_prompt
                    printf '[user-hook]'
                end
                alias ll='echo ALIAS-OK'
                function fish_prompt
                    printf '> '
                end
                """);
        List<String> typed = List.of("echo hi\n", "false\n", "cd /tmp\n", "ll\n", "echo 'x;y\\\\z'\n",
                "echo leaks=(env | grep -c _ta_)\n");
        Map<String, String> env = env(home);
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        RealShell shell = new RealShell().run(List.of("fish"), false, env, home, work, typed);

        String h = home.toString();
        assertThat(shell.commands()).containsExactly(
                "C cmd=[echo hi] cwd=[" + h + "]", "D 0",
                "C cmd=[false] cwd=[" + h + "]", "D 1",
                "C cmd=[cd /tmp] cwd=[" + h + "]", "D 0",
                "C cmd=[ll] cwd=[/tmp]", "D 0",
                "C cmd=[echo 'x;y\\\\z'] cwd=[/tmp]", "D 0",
                "C cmd=[echo leaks=(env | grep -c _ta_)] cwd=[/tmp]", "D 0");
        assertThat(shell.forgeries()).isEmpty();
        assertThat(shell.visible).contains("[user-hook]", "ALIAS-OK", "x;y\\z", "leaks=0\r\n");
        assertThat(shell.visible).doesNotContain("133;", "ttyaudit=", shell.nonce);
    }
}
