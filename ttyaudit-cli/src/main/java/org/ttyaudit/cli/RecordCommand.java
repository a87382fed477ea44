package org.ttyaudit.cli;

import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.core.policy.CaptureMode;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.recorder.session.HostFacts;
import org.ttyaudit.recorder.spool.DataDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ttyaudit record}: records a command (by default the user's shell) in a pseudo-terminal. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Run a command (default: your shell) in a new pseudo-terminal and record the session.",
                "Exits with the command's exit status (128+N when signal N ended it)."})
final class RecordCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Record file to create (must not exist). Default: a new file in the spool of the data directory.")
    Path output;

    @Option(names = "--capture", paramLabel = "MODE",
            description = {"full: output and keystrokes (secrets typed at no-echo prompts are redacted); output: no keystrokes; commands: neither (commands and metadata only). Default: full.",
                    "With --upload, the server's capture policy wins over this (docs/CAPTURE.md)."})
    String capture;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory (default: $TTYAUDIT_DATA_DIR, $XDG_DATA_HOME/ttyaudit or ~/.local/share/ttyaudit).")
    Path dataDir;

    @Option(names = "--masking", paramLabel = "FILE",
            description = "Secret-masking rules to use instead of the defaults (see docs/MASKING.md).")
    Path masking;

    @Option(names = "--no-shell-integration",
            description = "Do not load the recorder's shell hooks; commands are then reconstructed from the screen.")
    boolean noShellIntegration;

    @Option(names = {"-l", "--login"}, description = "Start the shell as a login shell.")
    boolean login;

    @Option(names = "--upload",
            description = "Ship the session to the audit server while it is recorded (the host must be enrolled: see 'ttyaudit enroll').")
    boolean upload;

    @Option(names = "--credential-file", paramLabel = "PATH",
            description = "Host credential file for --upload (default: /etc/ttyaudit/host.json for root, else ~/.config/ttyaudit/host.json).")
    Path credentialFile;

    @Parameters(paramLabel = "CMD", arity = "0..*",
            description = "The command and its arguments (put them after --). Default: $SHELL, else the passwd shell.")
    List<String> command;

    /**
     * This command's options for reading a plain command line without picocli, before every session (see
     * {@link PlainCommandLine}); the annotations above stay what help shows and what reads every other line.
     */
    PlainCommandLine plainReader() {
        return new PlainCommandLine()
                .option(v -> output = Path.of(v), "-o", "--output")
                .option(v -> capture = v, "--capture")
                .option(v -> dataDir = Path.of(v), "--data")
                .option(v -> masking = Path.of(v), "--masking")
                .flag(() -> noShellIntegration = true, "--no-shell-integration")
                .flag(() -> login = true, "-l", "--login")
                .flag(() -> upload = true, "--upload")
                .option(v -> credentialFile = Path.of(v), "--credential-file")
                .operands(v -> command = new ArrayList<>(v));
    }

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        CaptureMode mode = capture == null ? CaptureMode.FULL : parseCapture(capture);
        SecretMasker masker = Masking.load(masking);
        List<String> argv = command == null || command.isEmpty() ? HostFacts.defaultShell(env, HostFacts.currentUid()) : command;
        if (credentialFile != null && !upload) {
            throw UserError.usage("--credential-file is for --upload");
        }
        SessionRunner.Upload target = null;
        if (upload) {
            Path file = Credentials.location(credentialFile);
            target = new SessionRunner.Upload(Credentials.load(file, Main.EXIT_USAGE), file);
        }
        CapturePolicy policy = CapturePolicy.only(mode, "--capture");
        if (target != null) {
            policy = policyFor(target, mode);
        }
        return SessionRunner.run(new SessionRunner.Request(argv, output, DataDirectory.resolve(dataDir, env), policy,
                !noShellIntegration, login, masker, env, output == null, target));
    }

    /**
     * The policy of a session shipped to the server: the server's (or, when it cannot be reached, the one it gave
     * last, or root's local file); only when none applies, the user's own {@code --capture}. When the user asked
     * for another mode than the policy's, one line says which applies.
     */
    private CapturePolicy policyFor(SessionRunner.Upload target, CaptureMode asked) {
        Map<String, String> env = System.getenv();
        Optional<CapturePolicy> policy = CapturePolicyLookup.find(target,
                CapturePolicyLookup.DEFAULT_LOCAL_FILE, HostFacts.userName(env), HostFacts.groupNames(),
                HostFacts.hostName(), System.err);
        if (policy.isEmpty()) {
            return CapturePolicy.only(asked, "--capture");
        }
        if (capture != null && policy.get().mode() != asked) {
            System.err.println("ttyaudit: the capture policy (" + policy.get().source() + ") applies: "
                    + policy.get().mode().configName() + ", not --capture " + asked.configName());
        }
        return policy.get();
    }

    static CaptureMode parseCapture(String text) {
        try {
            return CaptureMode.parse(text);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--capture: " + e.getMessage());
        }
    }

}
