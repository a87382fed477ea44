package org.ttyaudit.cli.install;

import org.ttyaudit.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit install sshd}: an sshd drop-in, {@code /etc/ssh/sshd_config.d/50-ttyaudit.conf}, whose
 * {@code Match User}/{@code Match Group} blocks force {@code ttyaudit shell} on those users' SSH logins
 * ({@code ssh host COMMAND} arrives in {@code SSH_ORIGINAL_COMMAND}). The drop-in is checked with
 * {@code sshd -t} (against a throwaway host key) before it is put in place; one sshd refuses is not written and
 * the old file stays. sshd reads it at its next reload.
 */
@Command(name = "sshd", mixinStandardHelpOptions = true,
        description = {"Force 'ttyaudit shell' on the SSH logins of users or groups: an sshd drop-in "
                + SshdInstall.DROP_IN, "(Match + ForceCommand), checked with sshd -t. --uninstall removes it."})
public final class SshdInstall implements Callable<Integer> {
    static final String DROP_IN = "/etc/ssh/sshd_config.d/50-ttyaudit.conf";

    @Mixin
    InstallOptions options;

    @Mixin
    Chosen chosen;

    @Mixin
    Launcher launcher;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        SystemRoot root = options.systemRoot();
        Path file = root.path(DROP_IN);
        Step step;
        if (options.uninstall) {
            step = ManagedFile.absent(file);
        } else {
            if (chosen.none()) {
                throw UserError.failure("name the users (--users) or groups (--groups) whose SSH logins to record");
            }
            String content = dropIn(launcher.path());
            verify(content, out);
            step = ManagedFile.present(file, content, "rw-r--r--");
        }
        if (Steps.run(List.of(step), options.dryRun, out) > 0 && !options.dryRun) {
            out.println("sshd reads the change at its next reload: systemctl reload ssh (or: kill -HUP the sshd "
                    + "listener); sessions already open are not affected");
        }
        return 0;
    }

    String dropIn(Path exe) {
        StringBuilder s = new StringBuilder("# " + ManagedFile.MARKER + " (sshd); 'ttyaudit install sshd --uninstall' "
                + "removes it.\n# These users' SSH logins run through ttyaudit shell, which records them; "
                + "'ssh host COMMAND' arrives\n# in SSH_ORIGINAL_COMMAND and is recorded too.\n");
        if (!chosen.groups.isEmpty()) {
            s.append("Match Group ").append(String.join(",", chosen.groups)).append('\n')
                    .append("    ForceCommand ").append(exe).append(" shell\n");
        }
        if (!chosen.users.isEmpty()) {
            s.append("Match User ").append(String.join(",", chosen.users)).append('\n')
                    .append("    ForceCommand ").append(exe).append(" shell\n");
        }
        return s.toString();
    }

    /** {@code sshd -t} on the drop-in alone, with a throwaway host key (sshd -t wants one); refuses on failure. */
    private static void verify(String content, PrintWriter out) throws IOException, InterruptedException {
        Path sshd = Path.of("/usr/sbin/sshd");
        if (!Files.isExecutable(sshd) || !SystemdInstall.onPath("ssh-keygen")) {
            out.println("not verified: " + DROP_IN + " (no /usr/sbin/sshd or ssh-keygen here)");
            return;
        }
        Path dir = Files.createTempDirectory("ttyaudit-sshd");
        try {
            Path config = dir.resolve("50-ttyaudit.conf");
            Files.writeString(config, content);
            RunCommand.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("key").toString()));
            try {
                RunCommand.run(List.of(sshd.toString(), "-t", "-f", config.toString(), "-h",
                        dir.resolve("key").toString()));
            } catch (UserError e) {
                throw UserError.failure("sshd -t refuses the drop-in, so it is not installed (the old file stays): "
                        + e.getMessage());
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
