package org.ttyaudit.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ttyaudit shell} refuses as an SFTP/SCP transfer under an sshd ForceCommand. */
class ShellFileTransferTest {
    @Test
    void sftpSubsystemsAndTheRemoteEndOfScpAreTransfers() {
        assertThat(ShellCommand.isFileTransfer("/usr/lib/openssh/sftp-server")).isTrue();
        assertThat(ShellCommand.isFileTransfer("/usr/libexec/sftp-server -l INFO")).isTrue();
        assertThat(ShellCommand.isFileTransfer("internal-sftp")).isTrue();
        assertThat(ShellCommand.isFileTransfer("scp -t /tmp/x")).isTrue();
        assertThat(ShellCommand.isFileTransfer("scp -v -r -d -t -- /tmp")).isTrue();
        assertThat(ShellCommand.isFileTransfer("scp -f /etc/hosts")).isTrue();
    }

    @Test
    void ordinaryCommandsAreNot() {
        assertThat(ShellCommand.isFileTransfer("ls -l")).isFalse();
        assertThat(ShellCommand.isFileTransfer("echo sftp-server")).isFalse();
        assertThat(ShellCommand.isFileTransfer("scp -P 22 a host:b")).isFalse();
        assertThat(ShellCommand.isFileTransfer("scp -F cfg a host:b")).isFalse();
        assertThat(ShellCommand.isFileTransfer("scpx -t")).isFalse();
    }
}
