package org.ttyaudit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The per-user real shells ({@code shell.USER}) that {@code ttyaudit install login-shell} records. */
class ShellPolicyUserShellTest {
    @TempDir
    Path dir;

    @Test
    void aUsersOwnEntryBeatsTheDefaultShell() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the policy file must be owned by root");
        Path file = dir.resolve("shell.conf");
        Files.writeString(file, "shell = /bin/sh\nshell.alice = /bin/zsh\n");

        ShellPolicy policy = ShellPolicy.load(file);

        assertThat(policy.shellFor("alice")).isEqualTo("/bin/zsh");
        assertThat(policy.shellFor("bob")).isEqualTo("/bin/sh");
        assertThat(ShellPolicy.defaults().shellFor("alice")).isEqualTo("/bin/bash");
    }

    @Test
    void aRelativeUserShellIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the policy file must be owned by root");
        Path file = dir.resolve("shell.conf");
        Files.writeString(file, "shell.alice = zsh\n");

        assertThatThrownBy(() -> ShellPolicy.load(file)).hasMessageContaining("shell.alice must be an absolute path");
    }
}
