package org.ttyaudit.cli.install;

import org.ttyaudit.cli.UserError;
import picocli.CommandLine.Option;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --launcher} option of the subcommands that write the launcher's path into a system file (the login
 * wrapper, the sshd drop-in, the units): by default this installation's {@code bin/ttyaudit}.
 */
final class Launcher {
    @Option(names = "--launcher", paramLabel = "PATH",
            description = "The ttyaudit launcher to run (default: /usr/bin/ttyaudit of the Debian package, or "
                    + "bin/ttyaudit of a checkout); an absolute "
                    + "path without spaces, not under /home or /root for the systemd units (ProtectHome=).")
    Path given;

    /** The launcher to write: the one given, else this installation's, which must then exist. */
    Path path() {
        Path p = given != null ? given : find();
        if (!p.isAbsolute() || p.toString().contains(" ")) {
            throw UserError.failure("--launcher must be an absolute path without spaces: " + p);
        }
        if (given == null && !Files.isExecutable(p)) {
            throw UserError.failure("cannot find the ttyaudit launcher (looked at " + p + "); name it with --launcher");
        }
        return p;
    }

    /**
     * The Debian package's {@code /usr/bin/ttyaudit} for its jar; else {@code ROOT/bin/ttyaudit} for the jar
     * {@code ROOT/ttyaudit-cli/target/ttyaudit.jar} (or target/classes) of a checkout.
     */
    private static Path find() {
        try {
            Path code = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (code.equals(PackagedUnits.JAR)) {
                return PackagedUnits.LAUNCHER;
            }
            Path module = code.getParent().getParent();
            return module.getParent().resolve("bin/ttyaudit").toAbsolutePath().normalize();
        } catch (URISyntaxException | NullPointerException e) {
            return Path.of("/opt/ttyaudit/bin/ttyaudit");
        }
    }
}
