package org.ttyaudit.cli;

import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.recorder.session.HostFacts;
import org.ttyaudit.recorder.spool.DataDirectory;
import org.ttyaudit.recorder.upload.HostCredentialFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit shell}: the recorder as a login shell, an sshd {@code ForceCommand}, or an entry in
 * {@code /etc/shells}. What is captured comes from the root-owned policy file, never from the user.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"Record a login session (use as a login shell or sshd ForceCommand).",
                "Capture settings come from the root-owned policy file " + "/etc/ttyaudit/shell.conf."})
final class ShellCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", hidden = false,
            description = "Policy file (default: /etc/ttyaudit/shell.conf); must be owned by root and not writable by others. Only for an administrator's ForceCommand line.")
    Path config;

    @Option(names = "-c", paramLabel = "COMMAND",
            description = "Run COMMAND with the real shell (as 'ssh host COMMAND' does through a login shell).")
    String commandString;

    @Option(names = "-l", description = "Accepted for compatibility: the session is always a login session.")
    boolean login;

    /** This command's options for reading a plain command line without picocli (see {@link PlainCommandLine}). */
    PlainCommandLine plainReader() {
        return new PlainCommandLine()
                .option(v -> config = Path.of(v), "--config")
                .option(v -> commandString = v, "-c")
                .flag(() -> login = true, "-l");
    }

    @Override
    public Integer call() {
        ShellPolicy policy = ShellPolicy.load(config == null ? ShellPolicy.DEFAULT_FILE : config);
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        // The shell the user gets is the policy's (their own entry, else the default), also in $SHELL (which
        // would otherwise point back at us). The name is the process's own user, not one from the environment.
        String realShell = policy.shellFor(HostFacts.userName(Map.of()));
        env.put("SHELL", realShell);
        List<String> argv = new ArrayList<>();
        argv.add(realShell);
        String forced = env.get("SSH_ORIGINAL_COMMAND");
        String toRun = commandString != null ? commandString : forced;
        if (toRun != null && isFileTransfer(toRun)) {
            // The recorder runs commands in a pseudo-terminal, which would corrupt the binary SFTP/SCP stream;
            // running the transfer unrecorded would let it change any file unseen. The SSH gateway records
            // transfers as file events.
            System.err.println("ttyaudit: file transfers (sftp, scp) are not available in a recorded login; use "
                    + "the SSH gateway, which records them");
            return 1;
        }
        boolean interactiveLogin = toRun == null;
        if (toRun != null) {
            argv.add("-c");
            argv.add(toRun);
        } else {
            argv.add("-l");
        }
        SessionRunner.Upload upload = uploadWith(HostCredentialFile.SYSTEM_LOCATION);
        CapturePolicy capture = CapturePolicyLookup.find(upload, policy.capturePolicy(), HostFacts.userName(env),
                HostFacts.groupNames(), HostFacts.hostName(), System.err)
                .orElseGet(() -> new CapturePolicy(policy.capture(), CapturePolicies.BUILT_IN.outputRate(), null,
                        CapturePolicies.BUILT_IN.source()));
        return SessionRunner.run(new SessionRunner.Request(argv, null,
                DataDirectory.resolve(policy.dataDir(), env), capture, policy.shellIntegration(),
                interactiveLogin, Masking.load(policy.masking()), env, false, upload));
    }

    /**
     * True for what sshd runs for an SFTP session ({@code Subsystem sftp}: the sftp-server program or
     * {@code internal-sftp}) and for the remote end of a classic SCP copy ({@code scp -t}/{@code scp -f}).
     */
    static boolean isFileTransfer(String command) {
        return FILE_TRANSFER.matcher(command.strip()).find();
    }

    private static final java.util.regex.Pattern FILE_TRANSFER = java.util.regex.Pattern.compile(
            "^(?:(?:\\S*/)?sftp-server|internal-sftp)(?:\\s|$)|^scp(?:\\s+-[A-Za-z0-9]+)*\\s+-[A-Za-z]*[tf][A-Za-z]*(?:\\s|$)");

    /**
     * Where a login session is shipped: to the server of the credential in {@code file} (the system location,
     * {@code /etc/ttyaudit/host.json}) when it exists, else nowhere. Never the user's own configuration: the
     * recorded user must not be able to send their sessions elsewhere, or nowhere. A credential that cannot be
     * read leaves the session recorded locally, with a warning: refusing the login would lock everybody out
     * over a file mode.
     */
    static SessionRunner.Upload uploadWith(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return new SessionRunner.Upload(HostCredentialFile.read(file), file);
        } catch (IOException e) {
            System.err.println("ttyaudit: cannot read the host credential " + file + " ("
                    + SessionRunner.reason(e) + "); this session is recorded on this host only");
            return null;
        }
    }

}
