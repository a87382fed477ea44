package org.ttyaudit.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstallCommandTest {
    @Test
    void installWithoutWhatToInstallIsAUsageErrorNamingTheChoices() {
        CliRun run = CliRun.of("install");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("name what to install: login-shell, sshd, systemd, enroll");
    }

    @Test
    void helpListsTheSubcommandsAndTheCommonOptions() {
        CliRun run = CliRun.of("install", "login-shell", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--uninstall").contains("--dry-run").contains("--root=DIR")
                .contains("--launcher=PATH").contains("--users=USER");
    }
}
