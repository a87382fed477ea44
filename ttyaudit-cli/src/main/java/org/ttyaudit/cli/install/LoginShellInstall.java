package org.ttyaudit.cli.install;

import org.ttyaudit.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit install login-shell}: makes {@code ttyaudit shell} the login shell of chosen users. Login
 * programs run a shell as one executable path without arguments, so a small wrapper script
 * ({@link #WRAPPER}) runs {@code LAUNCHER shell "$@"}; its path goes into {@code /etc/shells} and the users'
 * passwd entries ({@code usermod -s}), and each user's previous shell into {@code /etc/ttyaudit/shell.conf},
 * where {@code ttyaudit shell} finds the real shell to run and {@code --uninstall} finds what to give back.
 */
@Command(name = "login-shell", mixinStandardHelpOptions = true,
        description = {"Make 'ttyaudit shell' the login shell of users: a wrapper " + LoginShellInstall.WRAPPER
                + " in /etc/shells,", "their passwd shell, their previous shell kept in /etc/ttyaudit/shell.conf.",
                "--uninstall gives every recorded user (or those named) their previous shell back."})
public final class LoginShellInstall implements Callable<Integer> {
    static final String WRAPPER = "/usr/local/bin/ttyaudit-shell";

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
        SystemRoot root = options.systemRoot();
        Accounts accounts = Accounts.read(root);
        Set<String> named = new LinkedHashSet<>(chosen.users);
        for (String g : chosen.groups) {
            named.addAll(accounts.membersOf(g));
        }
        List<Step> steps = options.uninstall ? uninstall(root, accounts, named) : install(root, accounts, named);
        Steps.run(steps, options.dryRun, spec.commandLine().getOut());
        return 0;
    }

    private List<Step> install(SystemRoot root, Accounts accounts, Set<String> named) throws IOException {
        if (chosen.none()) {
            throw UserError.failure("name the users (--users) or groups (--groups) whose login shell to change");
        }
        Path conf = root.path(ShellConf.FILE);
        Map<String, String> recorded = ShellConf.entries(conf);
        List<Step> steps = new ArrayList<>();
        steps.add(ManagedFile.present(root.path(WRAPPER), wrapperScript(launcher.path()), "rwxr-xr-x"));
        steps.add(LineInFile.present(root.path("/etc/shells"), WRAPPER));
        for (String user : named) {
            String current = accounts.shellOf(user)
                    .orElseThrow(() -> UserError.failure("no local user " + user + " in /etc/passwd"));
            if (!current.equals(WRAPPER)) {
                // The real shell is recorded first: a login between the two steps still finds it.
                steps.add(ShellConf.record(conf, user, current.isEmpty() ? "/bin/sh" : current));
            } else if (!recorded.containsKey(user)) {
                throw UserError.failure(user + "'s login shell is already " + WRAPPER + " but " + conf
                        + " names no real shell for them; add 'shell." + user + " = /bin/bash' (their shell) there");
            }
            steps.add(setShell(root, user, WRAPPER));
        }
        return steps;
    }

    private List<Step> uninstall(SystemRoot root, Accounts accounts, Set<String> named) throws IOException {
        Path conf = root.path(ShellConf.FILE);
        Map<String, String> recorded = ShellConf.entries(conf);
        Set<String> undo = chosen.none() ? recorded.keySet() : named;
        List<Step> steps = new ArrayList<>();
        for (String user : undo) {
            String previous = recorded.get(user);
            if (previous == null) {
                steps.add(dryRun -> Step.Outcome.already(conf + " records no previous shell for " + user
                        + "; their login shell is left as it is"));
                continue;
            }
            if (accounts.shellOf(user).isPresent()) {
                steps.add(setShell(root, user, previous));
            }
            steps.add(ShellConf.forget(conf, user));
        }
        Set<String> remaining = new LinkedHashSet<>(recorded.keySet());
        remaining.removeAll(undo);
        if (remaining.isEmpty()) {
            steps.add(LineInFile.absent(root.path("/etc/shells"), WRAPPER));
            steps.add(ManagedFile.absent(root.path(WRAPPER)));
        } else {
            steps.add(dryRun -> Step.Outcome.already(WRAPPER + " stays in /etc/shells: still the login shell of "
                    + String.join(", ", remaining)));
        }
        return steps;
    }

    /** {@code usermod -s}; outside the live root with {@code --prefix}, which edits ROOT/etc/passwd. */
    private static Step setShell(SystemRoot root, String user, String shell) {
        List<String> argv = new ArrayList<>(List.of("usermod"));
        if (!root.live()) {
            argv.addAll(List.of("--prefix", root.dir().toString()));
        }
        argv.addAll(List.of("-s", shell, user));
        return new RunCommand(argv, user + "'s login shell is " + shell, () -> {
            try {
                return Accounts.read(root).shellOf(user).map(shell::equals).orElse(false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static String wrapperScript(Path launcher) {
        return "#!/bin/sh\n"
                + "# " + ManagedFile.MARKER + " (login-shell); '--uninstall' removes it.\n"
                + "# A login shell is one executable path without arguments: this runs the recorder as the shell.\n"
                + "exec " + launcher + " shell \"$@\"\n";
    }
}
