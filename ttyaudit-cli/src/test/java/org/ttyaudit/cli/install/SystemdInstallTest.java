package org.ttyaudit.cli.install;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code ttyaudit install systemd} against a scratch system tree. */
class SystemdInstallTest {
    /** This checkout's launcher: real, so that systemd-analyze verify can check ExecStart. */
    private static final Path LAUNCHER = Path.of("../bin/ttyaudit").toAbsolutePath().normalize();

    @TempDir
    Path root;

    @BeforeEach
    void tree() throws Exception {
        assumeTrue(Trees.isRoot() && Trees.onPath("useradd"), "needs root and useradd (useradd --prefix)");
        Trees.write(root, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        Trees.write(root, "/etc/group", "root:x:0:\n");
    }

    private Trees.Run systemd(String... extra) {
        List<String> args = new ArrayList<>(List.of("install", "systemd", "--root", root.toString(),
                "--launcher", LAUNCHER.toString()));
        args.addAll(List.of(extra));
        return Trees.ttyaudit(args.toArray(String[]::new));
    }

    @Test
    void installWritesHardenedUnitsAndTheUserAndASecondRunChangesNothing() throws Exception {
        Trees.Run first = systemd();

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("changed: the system user ttyaudit exists")
                .contains("changed: wrote " + root.resolve("etc/systemd/system/ttyaudit-server.service"))
                .contains("systemd is not running for " + root + "; on the target system run: systemctl "
                        + "daemon-reload && systemctl enable --now ttyaudit-server.service ttyaudit-gateway.service");
        assertThat(Trees.read(root, "/etc/passwd")).contains("\nttyaudit:").contains(":/usr/sbin/nologin");
        String server = Trees.read(root, "/etc/systemd/system/ttyaudit-server.service");
        assertThat(server).contains("\nExecStart=" + LAUNCHER + " server --data /var/lib/ttyaudit/server "
                        + "--listen 0.0.0.0:8443 --config /etc/ttyaudit/server.yaml\n")
                .contains("\nUser=ttyaudit\n", "\nProtectSystem=strict\n", "\nProtectHome=yes\n", "\nPrivateTmp=yes\n",
                        "\nNoNewPrivileges=yes\n", "\nReadWritePaths=/var/lib/ttyaudit\n",
                        "\nStateDirectory=ttyaudit/server\n", "\nCapabilityBoundingSet=\n",
                        "\nRestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n", "\nSystemCallFilter=@system-service\n")
                .doesNotContain("\nMemoryDenyWriteExecute");
        assertThat(server.replace("@system-service", "")).doesNotContain("@");
        String gateway = Trees.read(root, "/etc/systemd/system/ttyaudit-gateway.service");
        assertThat(gateway).contains("\nLoadCredential=host.json:/etc/ttyaudit/host.json\n")
                .contains("gateway --listen 0.0.0.0:2222 --data /var/lib/ttyaudit/gateway --credential-file %d/host.json");

        Map<String, String> after = Trees.snapshot(root);
        Trees.Run second = systemd();
        assertThat(second.out()).doesNotContain("changed:").contains("nothing to change");
        assertThat(Trees.snapshot(root)).isEqualTo(after);
    }

    @Test
    void theUnitsPassSystemdAnalyzeVerify() throws Exception {
        assumeTrue(Trees.onPath("systemd-analyze"), "no systemd-analyze");
        assumeTrue(Files.isExecutable(LAUNCHER), "no launcher at " + LAUNCHER);
        assertThat(systemd().out()).doesNotContain("not verified");
        for (String unit : List.of("ttyaudit-server.service", "ttyaudit-gateway.service")) {
            Process p = new ProcessBuilder("systemd-analyze", "verify",
                    root.resolve("etc/systemd/system/" + unit).toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).as(unit).doesNotContain("Unknown key").doesNotContain("Invalid").doesNotContain(unit);
        }
    }

    @Test
    void uninstallRemovesTheUnitsAndKeepsTheUserAndTheData() throws Exception {
        assertThat(systemd().exitCode()).isZero();

        Trees.Run undo = systemd("--uninstall");

        assertThat(undo.exitCode()).as(undo.toString()).isZero();
        assertThat(undo.out()).contains("changed: removed " + root.resolve("etc/systemd/system/ttyaudit-gateway.service"))
                .contains("kept: the user ttyaudit and /var/lib/ttyaudit");
        assertThat(root.resolve("etc/systemd/system/ttyaudit-server.service")).doesNotExist();
        assertThat(Trees.read(root, "/etc/passwd")).contains("\nttyaudit:");
        assertThat(systemd("--uninstall").out()).doesNotContain("changed:");
    }

    @Test
    void aUnitSomeoneElseWroteIsLeftAlone() throws Exception {
        Trees.write(root, "/etc/systemd/system/ttyaudit-server.service", "[Service]\nExecStart=/usr/bin/true\n");
        Map<String, String> before = Trees.snapshot(root);

        Trees.Run install = systemd("--units", "server");
        Trees.Run uninstall = systemd("--units", "server", "--uninstall");

        assertThat(install.exitCode()).isEqualTo(1);
        assertThat(install.err()).contains("ttyaudit-server.service exists and was not written by ttyaudit install");
        assertThat(uninstall.exitCode()).isEqualTo(1);
        Map<String, String> after = Trees.snapshot(root);
        after.keySet().removeIf(k -> k.startsWith("etc/passwd") || k.startsWith("etc/group"));
        before.keySet().removeIf(k -> k.startsWith("etc/passwd") || k.startsWith("etc/group"));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aDryRunChangesNothing() throws Exception {
        Map<String, String> before = Trees.snapshot(root);

        Trees.Run run = systemd("--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("would change: the system user ttyaudit exists");
        assertThat(Trees.snapshot(root)).isEqualTo(before);
    }
}
