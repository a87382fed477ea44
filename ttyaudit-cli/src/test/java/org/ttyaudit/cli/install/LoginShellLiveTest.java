package org.ttyaudit.cli.install;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ttyaudit install login-shell} on the real system (as root, in CI containers): a throwaway user gets the
 * wrapper as their login shell in getent's view, and back /bin/bash on uninstall. It changes /etc/shells,
 * /usr/local/bin/ttyaudit-shell and /etc/ttyaudit/shell.conf only for the time of the test.
 */
class LoginShellLiveTest {
    private static final String USER = "ttyaudit-it-" + ProcessHandle.current().pid();

    @Test
    void aRealUserGetsTheWrapperAndBackTheirShell() throws Exception {
        assumeTrue(Trees.isRoot(), "needs root: changes /etc/passwd and /etc/shells");
        assumeTrue(Trees.onPath("useradd") && Trees.onPath("usermod") && Trees.onPath("getent"),
                "needs useradd, usermod and getent");
        assumeTrue(!Files.exists(Path.of(LoginShellInstall.WRAPPER)) || ManagedFile.ours(Path.of(LoginShellInstall.WRAPPER)),
                "this machine has its own " + LoginShellInstall.WRAPPER);
        assumeTrue(!ShellConf.entries(Path.of(ShellConf.FILE)).containsKey(USER), "a stale entry for " + USER);
        byte[] shells = Files.readAllBytes(Path.of("/etc/shells"));
        boolean hadConfigDir = Files.exists(Path.of("/etc/ttyaudit"));
        run("useradd", "-M", "-s", "/bin/bash", USER);
        try {
            Trees.Run install = Trees.ttyaudit("install", "login-shell", "--users", USER, "--launcher",
                    "/opt/ttyaudit/bin/ttyaudit");
            assertThat(install.exitCode()).as(install.toString()).isZero();
            assertThat(run("getent", "passwd", USER)).endsWith(":" + LoginShellInstall.WRAPPER);
            assertThat(Files.readAllLines(Path.of("/etc/shells"))).contains(LoginShellInstall.WRAPPER);
            assertThat(Files.readString(Path.of(LoginShellInstall.WRAPPER)))
                    .contains("exec /opt/ttyaudit/bin/ttyaudit shell \"$@\"");

            Trees.Run undo = Trees.ttyaudit("install", "login-shell", "--uninstall", "--users", USER);
            assertThat(undo.exitCode()).as(undo.toString()).isZero();
            assertThat(run("getent", "passwd", USER)).endsWith(":/bin/bash");
        } finally {
            Trees.ttyaudit("install", "login-shell", "--uninstall", "--users", USER);
            run("userdel", USER);
            if (!hadConfigDir && Files.isDirectory(Path.of("/etc/ttyaudit"))) {
                try (var left = Files.list(Path.of("/etc/ttyaudit"))) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(Path.of("/etc/ttyaudit")); // made by the install for shell.conf
                    }
                }
            }
        }
        assertThat(Files.readAllBytes(Path.of("/etc/shells"))).isEqualTo(shells);
    }

    private static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }
}
