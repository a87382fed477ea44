package org.ttyaudit.cli;

import org.ttyaudit.cli.install.InstallOptions;
import org.ttyaudit.cli.install.Step;
import org.ttyaudit.cli.install.Steps;
import org.ttyaudit.cli.install.SystemRoot;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.HostCredentialFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit install enroll}: {@code ttyaudit enroll} (the same {@link EnrollCommand.Enrollment}) into the
 * system credential {@code /etc/ttyaudit/host.json}, mode 0600 root — once: a host already enrolled keeps its
 * credential and the token is not spent. {@code --group} makes the file 0640 for that group, which the users
 * recorded by {@code ttyaudit shell} must be in for their sessions to be shipped.
 */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Enroll this host with an audit server into /etc/ttyaudit/host.json (mode 0600, or 0640 with "
                + "--group).", "--uninstall removes the credential (the server still lists the host)."})
final class InstallEnrollCommand implements Callable<Integer> {
    static final String FILE = "/etc/ttyaudit/host.json";

    @Mixin
    InstallOptions options;

    @Mixin
    EnrollCommand.Enrollment enrollment;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "Make the credential readable by this group (mode 0640), e.g. the recorded users' group.")
    String group;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        SystemRoot root = options.systemRoot();
        Path file = root.path(FILE);
        Step step = options.uninstall ? remove(file) : enroll(file, root);
        Steps.run(List.of(step), options.dryRun, spec.commandLine().getOut());
        return 0;
    }

    private Step enroll(Path file, SystemRoot root) {
        enrollment.serverUrls(); // a missing or malformed --server or --token: a usage error before anything
        return dryRun -> {
            if (Files.exists(file)) {
                HostCredential c = existing(file);
                return Step.Outcome.already("this host is enrolled (host id " + c.hostId() + ") with "
                        + EnrollCommand.Enrollment.describe(c.servers())
                        + "; credential " + file + " (to enroll again: --uninstall first)");
            }
            List<URI> checked = enrollment.serverUrls();
            if (dryRun) {
                return Step.Outcome.changed("enroll with " + EnrollCommand.Enrollment.describe(checked)
                        + " and write the credential to " + file);
            }
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            String done = enrollment.enrollInto(file);
            if (group != null) {
                GroupPrincipal g = root.dir().getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(group);
                Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(g);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
                done += " (mode 0640, group " + group + ")";
            }
            return Step.Outcome.changed(done);
        };
    }

    private static Step remove(Path file) {
        return dryRun -> {
            if (!Files.exists(file)) {
                return Step.Outcome.already(file + " does not exist");
            }
            HostCredential c = existing(file);
            if (!dryRun) {
                Files.delete(file);
            }
            return Step.Outcome.changed("removed " + file + "; the server " + c.server() + " still lists host id "
                    + c.hostId() + " (an administrator removes it there)");
        };
    }

    /** The credential in {@code file}; a file that is not one is not ours to replace or delete. */
    private static HostCredential existing(Path file) {
        try {
            return HostCredentialFile.read(file);
        } catch (IOException e) {
            throw UserError.failure(file + " exists but is not a host credential (" + SessionRunner.reason(e)
                    + "); leaving it alone — move it away first");
        }
    }
}
