package org.ttyaudit.cli.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the systemd units of the Debian package: run by the build (exec-maven-plugin, {@code prepare-package}),
 * not by users. They are the units {@code ttyaudit install systemd} writes — the same resources, the same
 * hardening — with the package's launcher {@code /usr/bin/ttyaudit} and a first line saying the package owns them,
 * so the two ways to install the services cannot drift apart.
 */
public final class PackagedUnits {
    /** Where the package puts its launcher. */
    static final Path LAUNCHER = Path.of("/usr/bin/ttyaudit");
    /** Where the package puts the runnable jar. */
    static final Path JAR = Path.of("/usr/share/ttyaudit/ttyaudit.jar");

    private PackagedUnits() {
    }

    /** {@code args[0]}: the directory to write {@code ttyaudit-server.service} and {@code ttyaudit-gateway.service} to. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: PackagedUnits OUTPUT_DIRECTORY");
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (SystemdInstall.Unit unit : SystemdInstall.Unit.values()) {
            Files.writeString(dir.resolve(unit.fileName()), text(unit), StandardCharsets.UTF_8);
        }
    }

    /** The packaged unit: not enabled on install (most hosts only record), hence the line saying how. */
    static String text(SystemdInstall.Unit unit) throws IOException {
        return SystemdInstall.unitText(unit, LAUNCHER, "# Installed by the Debian package ttyaudit, which removes it."
                + " Not enabled on install; to run it: systemctl enable --now " + unit.fileName());
    }
}
