package org.ttyaudit.gateway.record;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.recorder.capture.Foreground;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which program the bulk rule sees in a relayed channel. */
class ChannelRecordingTest {

    @Test
    void anExecRequestsProgramIsItsFirstWordAfterAssignmentsWithoutItsDirectory() {
        assertThat(ChannelRecording.program("scp -t /tmp/x")).isEqualTo("scp");
        assertThat(ChannelRecording.program("  LC_ALL=C RSYNC_X=a=b /usr/bin/rsync --server -logDtpre.iLsfxCIvu . /d"))
                .isEqualTo("rsync");
        assertThat(ChannelRecording.program("tar cf - /etc | gzip")).isEqualTo("tar");
        assertThat(ChannelRecording.program("A=1")).isEmpty();
        assertThat(ChannelRecording.program("   ")).isEmpty();
        assertThat(ChannelRecording.program(null)).isEmpty();
        assertThat(ChannelRecording.program("./=odd")).isEqualTo("=odd");
    }

    @Test
    void aShellHasNoProgramAnExecItsCommandsAndASubsystemItsName() {
        Foreground shell = ChannelRecording.foreground(facts("shell", null));
        assertThat(shell.processGroup()).as("unknown: the bulk rule never applies").isNegative();

        Foreground exec = ChannelRecording.foreground(facts("exec", "dd if=/dev/zero"));
        assertThat(exec.name(exec.processGroup())).isEqualTo("dd");
        assertThat(exec.where(exec.processGroup())).isEqualTo("channel=exec");

        Foreground sftp = ChannelRecording.foreground(facts("sftp", null));
        assertThat(sftp.name(sftp.processGroup())).isEqualTo("sftp");
        assertThat(sftp.where(sftp.processGroup())).isEqualTo("channel=sftp");
    }

    private static ChannelFacts facts(String kind, String commandLine) {
        return new ChannelFacts("alice", List.of(), "127.0.0.1", new GatewayAccess.Route("web1", "127.0.0.1", 22, "a"),
                kind, commandLine, null, 80, 24, false, CapturePolicies.BUILT_IN);
    }
}
