package org.ttyaudit.cli.install;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where this installation's {@code bin/ttyaudit} launcher is: next to the jar's module, as the launcher builds it. */
final class Launcher {
    private Launcher() {
    }

    /** {@code ROOT/bin/ttyaudit} for the jar {@code ROOT/ttyaudit-cli/target/ttyaudit.jar} (or target/classes). */
    static Path find() {
        try {
            Path code = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path module = code.getParent().getParent();
            return module.getParent().resolve("bin/ttyaudit").toAbsolutePath().normalize();
        } catch (URISyntaxException | NullPointerException e) {
            return Path.of("/opt/ttyaudit/bin/ttyaudit");
        }
    }
}
