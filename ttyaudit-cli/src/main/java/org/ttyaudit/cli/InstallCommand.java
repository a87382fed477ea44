package org.ttyaudit.cli;

import org.ttyaudit.cli.install.LoginShellInstall;
import org.ttyaudit.cli.install.SshdInstall;
import org.ttyaudit.cli.install.SystemdInstall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code ttyaudit install SUB [--uninstall] [--dry-run] [--root DIR]}: the system changes that put ttyaudit in
 * place on a host, each idempotent, each printing what it changed, each undone by {@code --uninstall}.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Set up (or with --uninstall undo) ttyaudit on this system; every change is printed,",
                "a second run changes nothing, --dry-run only says what would change."},
        subcommands = {LoginShellInstall.class, SshdInstall.class, SystemdInstall.class, InstallEnrollCommand.class})
final class InstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw UserError.usage("name what to install: " + String.join(", ", spec.subcommands().keySet()));
    }
}
