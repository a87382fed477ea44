package org.ttyaudit.cli.install;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code ttyaudit install login-shell} against a scratch system tree (usermod --prefix edits its passwd). */
class LoginShellInstallTest {
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/bash\n"
            + "alice:x:1000:1000::/home/alice:/bin/zsh\n"
            + "bob:x:1001:1001::/home/bob:/bin/bash\n"
            + "carol:x:1002:1002::/home/carol:/bin/bash\n";
    private static final String GROUP = "root:x:0:\nalice:x:1000:\nbob:x:1001:\ncarol:x:1002:\nops:x:2000:bob\n";
    private static final String SHELLS = "# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/bin/zsh";

    @TempDir
    Path root;

    @BeforeEach
    void tree() throws Exception {
        assumeTrue(Trees.isRoot() && Trees.onPath("usermod"), "needs root and usermod (usermod --prefix)");
        Trees.write(root, "/etc/passwd", PASSWD);
        Trees.write(root, "/etc/group", GROUP);
        Trees.write(root, "/etc/shells", SHELLS);
    }

    private Trees.Run install(String... extra) {
        List<String> args = new ArrayList<>(List.of("install", "login-shell", "--root", root.toString(),
                "--launcher", "/opt/ttyaudit/bin/ttyaudit"));
        args.addAll(List.of(extra));
        return Trees.ttyaudit(args.toArray(String[]::new));
    }

    @Test
    void installSetsTheWrapperAndKeepsTheRealShellsAndASecondRunChangesNothing() throws Exception {
        Trees.Run first = install("--users", "alice", "--groups", "ops");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("changed: wrote " + root.resolve("usr/local/bin/ttyaudit-shell"))
                .contains("changed: added the line /usr/local/bin/ttyaudit-shell to " + root.resolve("etc/shells"))
                .contains("changed: recorded alice's real shell /bin/zsh")
                .contains("changed: bob's login shell is /usr/local/bin/ttyaudit-shell");
        assertThat(Trees.read(root, "/etc/passwd"))
                .contains("alice:x:1000:1000::/home/alice:/usr/local/bin/ttyaudit-shell\n")
                .contains("bob:x:1001:1001::/home/bob:/usr/local/bin/ttyaudit-shell\n")
                .contains("carol:x:1002:1002::/home/carol:/bin/bash\n");
        assertThat(Trees.read(root, "/etc/shells")).isEqualTo(SHELLS + "\n/usr/local/bin/ttyaudit-shell");
        assertThat(ShellConf.entries(root.resolve("etc/ttyaudit/shell.conf")))
                .isEqualTo(Map.of("alice", "/bin/zsh", "bob", "/bin/bash"));
        Path wrapper = root.resolve("usr/local/bin/ttyaudit-shell");
        assertThat(Files.readString(wrapper)).startsWith("#!/bin/sh\n")
                .contains("\nexec /opt/ttyaudit/bin/ttyaudit shell \"$@\"\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wrapper))).isEqualTo("rwxr-xr-x");

        Map<String, String> after = Trees.snapshot(root);
        Trees.Run second = install("--users", "alice", "--groups", "ops");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).doesNotContain("changed:").contains("already so:").endsWith("nothing to change\n");
        assertThat(Trees.snapshot(root)).isEqualTo(after);
    }

    @Test
    void uninstallGivesBackTheShellsAndRestoresTheFilesByteForByte() throws Exception {
        Map<String, String> before = Trees.snapshot(root);
        assertThat(install("--users", "alice,bob").exitCode()).isZero();

        Trees.Run undo = install("--uninstall");

        assertThat(undo.exitCode()).as(undo.toString()).isZero();
        assertThat(undo.out()).contains("changed: alice's login shell is /bin/zsh")
                .contains("changed: removed " + root.resolve("usr/local/bin/ttyaudit-shell"));
        Map<String, String> after = Trees.snapshot(root);
        after.remove("etc/passwd-"); // usermod's own backup copy
        assertThat(after).isEqualTo(before);
        assertThat(install("--uninstall").out()).doesNotContain("changed:").endsWith("nothing to change\n");
    }

    @Test
    void uninstallingSomeUsersKeepsTheWrapperForTheOthers() throws Exception {
        assertThat(install("--users", "alice,bob").exitCode()).isZero();

        Trees.Run undo = install("--uninstall", "--users", "bob");

        assertThat(undo.out()).contains("stays in /etc/shells: still the login shell of alice");
        assertThat(Trees.read(root, "/etc/passwd")).contains("bob:x:1001:1001::/home/bob:/bin/bash\n")
                .contains("alice:x:1000:1000::/home/alice:/usr/local/bin/ttyaudit-shell\n");
        assertThat(Trees.read(root, "/etc/shells")).contains("/usr/local/bin/ttyaudit-shell");
        assertThat(ShellConf.entries(root.resolve("etc/ttyaudit/shell.conf"))).isEqualTo(Map.of("alice", "/bin/zsh"));
    }

    @Test
    void aConfigTheAdministratorWroteKeepsItsOtherLines() throws Exception {
        String conf = "capture = output\nshell = /bin/bash\n";
        Trees.write(root, "/etc/ttyaudit/shell.conf", conf);
        assertThat(install("--users", "alice").exitCode()).isZero();
        assertThat(Trees.read(root, "/etc/ttyaudit/shell.conf")).isEqualTo(conf + "shell.alice = /bin/zsh\n");

        assertThat(install("--uninstall").exitCode()).isZero();
        assertThat(Trees.read(root, "/etc/ttyaudit/shell.conf")).isEqualTo(conf);
    }

    @Test
    void aForeignWrapperIsNeitherOverwrittenNorRemoved() throws Exception {
        Trees.write(root, "/usr/local/bin/ttyaudit-shell", "#!/bin/sh\nexec /bin/bash \"$@\"\n");
        Map<String, String> before = Trees.snapshot(root);

        Trees.Run run = install("--users", "alice");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("was not written by ttyaudit install").contains("leaving it alone");
        assertThat(Trees.snapshot(root)).isEqualTo(before);
    }

    @Test
    void aDryRunSaysWhatWouldChangeAndChangesNothing() throws Exception {
        Map<String, String> before = Trees.snapshot(root);

        Trees.Run run = install("--users", "alice", "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("would change: alice's login shell is /usr/local/bin/ttyaudit-shell")
                .doesNotContain("changed:");
        assertThat(Trees.snapshot(root)).isEqualTo(before);
    }

    @Test
    void anUnknownUserOrGroupIsRefusedBeforeAnythingChanges() throws Exception {
        Map<String, String> before = Trees.snapshot(root);

        assertThat(install("--users", "mallory").err()).contains("no local user mallory in /etc/passwd");
        assertThat(install("--groups", "nogroup").err()).contains("no local group nogroup in /etc/group");
        assertThat(install().err()).contains("name the users (--users) or groups (--groups)");
        assertThat(Trees.snapshot(root)).isEqualTo(before);
    }
}
