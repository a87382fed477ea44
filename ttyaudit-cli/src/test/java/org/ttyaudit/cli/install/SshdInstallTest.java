package org.ttyaudit.cli.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code ttyaudit install sshd} against a scratch system tree; the drop-in is checked by the real sshd. */
class SshdInstallTest {
    private static final String DROP_IN = "/etc/ssh/sshd_config.d/50-ttyaudit.conf";

    @TempDir
    Path root;

    private Trees.Run sshd(String... extra) {
        List<String> args = new ArrayList<>(List.of("install", "sshd", "--root", root.toString(),
                "--launcher", "/opt/ttyaudit/bin/ttyaudit"));
        args.addAll(List.of(extra));
        return Trees.ttyaudit(args.toArray(String[]::new));
    }

    private static void assumeSshd() {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")) && Trees.onPath("ssh-keygen"),
                "needs OpenSSH's sshd and ssh-keygen");
    }

    @Test
    void writesACheckedDropInOnceAndUninstallRemovesIt() throws Exception {
        assumeSshd();
        Trees.write(root, "/etc/ssh/sshd_config.d/10-site.conf", "PasswordAuthentication no\n");
        Map<String, String> before = Trees.snapshot(root);

        Trees.Run first = sshd("--groups", "ops,admins", "--users", "alice");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("changed: wrote " + root.resolve(DROP_IN.substring(1)))
                .doesNotContain("not verified").contains("systemctl reload ssh");
        assertThat(Trees.read(root, DROP_IN)).contains("\nMatch Group ops,admins\n    ForceCommand "
                + "/opt/ttyaudit/bin/ttyaudit shell\nMatch User alice\n    ForceCommand /opt/ttyaudit/bin/ttyaudit shell\n");
        Map<String, String> after = Trees.snapshot(root);
        assertThat(sshd("--groups", "ops,admins", "--users", "alice").out()).doesNotContain("changed:")
                .contains("already so: " + root.resolve(DROP_IN.substring(1)) + " is up to date");
        assertThat(Trees.snapshot(root)).isEqualTo(after);

        assertThat(sshd("--groups", "ops").out()).contains("changed: updated");
        assertThat(Trees.read(root, DROP_IN)).doesNotContain("Match User");

        Trees.Run undo = sshd("--uninstall");
        assertThat(undo.out()).contains("changed: removed");
        assertThat(Trees.snapshot(root)).isEqualTo(before);
    }

    @Test
    void aDropInSshdRefusesIsNotWrittenAndTheOldOneStays() throws Exception {
        assumeSshd();
        assertThat(sshd("--users", "alice").exitCode()).isZero();
        String old = Trees.read(root, DROP_IN);

        Trees.Run bad = sshd("--users", "alice bob");

        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.err()).contains("sshd -t refuses the drop-in").contains("the old file stays");
        assertThat(Trees.read(root, DROP_IN)).isEqualTo(old);
    }

    @Test
    void aDropInSomeoneElseWroteIsLeftAlone() throws Exception {
        Trees.write(root, DROP_IN, "Match User bob\n    ForceCommand /bin/false\n");
        Map<String, String> before = Trees.snapshot(root);

        assertThat(sshd("--users", "alice").err()).contains("was not written by ttyaudit install");
        assertThat(sshd("--uninstall").err()).contains("was not written by ttyaudit install");
        assertThat(Trees.snapshot(root)).isEqualTo(before);
    }

    @Test
    void aDryRunChangesNothingAndNamingNobodyIsRefused() throws Exception {
        Trees.Run dry = sshd("--users", "alice", "--dry-run");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would change: wrote");
        assertThat(root.resolve(DROP_IN.substring(1))).doesNotExist();
        assertThat(sshd().err()).contains("name the users (--users) or groups (--groups)");
    }
}
