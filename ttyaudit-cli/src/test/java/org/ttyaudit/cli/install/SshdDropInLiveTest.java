package org.ttyaudit.cli.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.gateway.testkit.Keys;
import org.ttyaudit.gateway.testkit.Sshd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The drop-in {@code ttyaudit install sshd} writes, in a real sshd on loopback that includes it: {@code ssh host
 * COMMAND} runs through {@code ttyaudit shell} and is recorded, and SFTP and SCP are refused. The "launcher" is a script
 * running this build's classes with a policy file of the test's own (records into the test's directory).
 */
class SshdDropInLiveTest {
    @TempDir
    Path dir;

    @Test
    void anSshCommandRunsThroughTttyauditShellAndIsRecorded() throws Exception {
        assumeTrue(Sshd.installed(), Sshd.MISSING);
        assumeTrue(Trees.isRoot(), "needs root: sshd logs in the user running the test and must own its files");
        Path root = dir.resolve("root");
        Path data = dir.resolve("data");
        Path policy = dir.resolve("shell.conf");
        Files.writeString(policy, "data_dir = " + data + "\nshell = /bin/bash\n");
        Path launcher = dir.resolve("ttyaudit");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Files.writeString(launcher, "#!/bin/sh\nexec " + java + " -cp " + System.getProperty("java.class.path")
                + " org.ttyaudit.cli.Main \"$@\" --config " + policy + "\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Trees.Run install = Trees.ttyaudit("install", "sshd", "--root", root.toString(), "--users", "root",
                "--launcher", launcher.toString());
        assertThat(install.exitCode()).as(install.toString()).isZero();

        Path key = Keys.generate(dir.resolve("client_key"), "ed25519");
        try (Sshd sshd = Sshd.start(dir.resolve("sshd"),
                List.of("Include " + root.resolve("etc/ssh/sshd_config.d") + "/*.conf"))) {
            sshd.authorize(Keys.publicLine(key));
            Result echo = ssh(sshd, key, "ssh", "echo recorded-over-ssh");
            assertThat(echo.code()).as(echo.toString()).isZero();
            assertThat(echo.out()).contains("recorded-over-ssh");
            try (Stream<Path> records = Files.walk(data)) {
                List<Path> tta = records.filter(p -> p.toString().endsWith(".tta")).toList();
                assertThat(tta).as("records under " + data).hasSize(1);
                Trees.Run info = Trees.ttyaudit("info", tta.get(0).toString());
                assertThat(info.out()).as(info.toString()).contains("echo recorded-over-ssh");
            }

            // sshd does not pass a subsystem's standard error on: the sftp client only sees the connection close.
            Result sftp = ssh(sshd, key, "sftp", null);
            assertThat(sftp.code()).as(sftp.toString()).isNotZero();
            Result scp = ssh(sshd, key, "ssh", "scp -t /tmp/ttyaudit-never-written");
            assertThat(scp.code()).as(scp.toString()).isNotZero();
            assertThat(scp.out()).contains("file transfers (sftp, scp) are not available in a recorded login");
            assertThat(Path.of("/tmp/ttyaudit-never-written")).doesNotExist();
        }
    }

    private record Result(int code, String out) {
    }

    private static Result ssh(Sshd sshd, Path key, String tool, String command) throws Exception {
        List<String> argv = new ArrayList<>(List.of(tool, "-i", key.toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"));
        if (tool.equals("ssh")) {
            argv.addAll(List.of("-p", String.valueOf(sshd.port()), "root@127.0.0.1", command));
        } else {
            argv.addAll(List.of("-P", String.valueOf(sshd.port()), "-b", "-", "root@127.0.0.1"));
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().write("ls\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
