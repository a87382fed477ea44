package org.ttyaudit.recorder.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Starts an interactive bash, zsh or fish so that it reports prompts, command lines, working directories and exit
 * codes through markers (see docs/SHELL-INTEGRATION.md) that a {@link MarkerStripper} removes from the output.
 *
 * <p>The user's own startup files are still read as the shell would read them; our hooks are installed after
 * them and chain (never replace) the user's hooks. The nonce is written into the generated scripts, never into
 * the environment, so programs run from the shell do not inherit it. It is not secret from the recorded user
 * (the shell holds it in a variable): a user can forge markers with it, which is why shell integration is one of
 * three independent command sources.
 *
 * <p>Implementations are stateless and thread-safe. {@link #prepare} writes files into {@code runtimeDir} (created
 * 0700 if needed, files 0600) which must exist for the life of the shell (bash keeps a scratch file there); the
 * caller deletes it afterwards.
 */
public abstract sealed class ShellIntegration permits BashIntegration, ZshIntegration, FishIntegration {

    /** A nonce as required by {@link #prepare}: 16 to 128 ASCII letters and digits. */
    public static final Pattern NONCE = Pattern.compile("[A-Za-z0-9]{16,128}");

    ShellIntegration() {
    }

    /** {@code bash}, {@code zsh} or {@code fish}. */
    public abstract String name();

    /**
     * The argv and environment to start the shell with.
     *
     * @param argv       the command the user asked for, as accepted by {@link #detect}
     * @param env        the environment the shell would have had without integration
     * @param nonce      the session's nonce (see {@link #NONCE}; {@link #newNonce()} makes one)
     * @param login      start a login shell (also when argv asks for one: {@code -l}, {@code --login},
     *                   or an argv[0] starting with {@code -})
     * @param runtimeDir private directory for the generated scripts
     * @throws IllegalArgumentException when argv is not one {@link #detect} accepts or the nonce is malformed
     * @throws IOException              when the scripts cannot be written
     */
    public final LaunchSpec prepare(List<String> argv, Map<String, String> env, String nonce, boolean login,
                                    Path runtimeDir) throws IOException {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(runtimeDir, "runtimeDir");
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            throw new IllegalArgumentException("nonce must be 16 to 128 ASCII letters and digits");
        }
        ShellArgs args = parse(argv).orElseThrow(() -> new IllegalArgumentException(
                "cannot integrate with " + name() + " started as " + argv));
        RuntimeFiles.createPrivateDir(runtimeDir);
        return launch(args, env, nonce, login || args.login(), runtimeDir);
    }

    /** The parsed argv, or empty when this shell would not be interactive or uses options we do not support. */
    abstract Optional<ShellArgs> parse(List<String> argv);

    abstract LaunchSpec launch(ShellArgs args, Map<String, String> env, String nonce, boolean login,
                               Path runtimeDir) throws IOException;

    /**
     * The integration for {@code argv}, chosen by the basename of argv[0] ({@code bash}, {@code -bash},
     * {@code /usr/bin/zsh}, ...), or empty when the shell is unknown or the arguments make it non-interactive
     * ({@code -c}, a script file, {@code -s}) or use options we do not support; then run argv as it is.
     */
    public static Optional<ShellIntegration> detect(List<String> argv) {
        if (argv == null || argv.isEmpty() || argv.stream().anyMatch(Objects::isNull)) {
            return Optional.empty();
        }
        ShellIntegration candidate = switch (ShellArgs.basename(argv.get(0))) {
            case "bash" -> new BashIntegration();
            case "zsh" -> new ZshIntegration();
            case "fish" -> new FishIntegration();
            default -> null;
        };
        if (candidate == null || candidate.parse(argv).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidate);
    }

    /** A fresh random nonce: 32 hex digits (128 bits) from {@link SecureRandom}. */
    public static String newNonce() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        return name() + " integration";
    }
}
