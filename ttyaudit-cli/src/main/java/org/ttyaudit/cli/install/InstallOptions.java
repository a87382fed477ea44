package org.ttyaudit.cli.install;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every {@code ttyaudit install} subcommand takes. */
public final class InstallOptions {
    @Option(names = "--uninstall", description = "Undo exactly what the install does; other content stays as it is.")
    public boolean uninstall;

    @Option(names = "--dry-run", description = "Only print what would change.")
    public boolean dryRun;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "The system tree to change (default: ${DEFAULT-VALUE}); with another directory nothing on "
                    + "the running system is touched (for packaging and tests).")
    public Path root;

    public SystemRoot systemRoot() {
        return new SystemRoot(root);
    }
}
