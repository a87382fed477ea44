package org.ttyaudit.cli.install;

import org.ttyaudit.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit install systemd}: the units {@code ttyaudit-server.service} and {@code ttyaudit-gateway.service}
 * (resources next to this class, with the hardening of {@code hardening.conf}) run as the system user
 * {@code ttyaudit}, which is made with {@code useradd --system} — a fixed user rather than DynamicUser=, so that
 * files an administrator gives the services (server.yaml, TLS keys) can simply be owned by its group. The units
 * are checked with {@code systemd-analyze verify} before they are put in place; {@code systemctl} is run only
 * on a system where systemd is running, otherwise the command says what to run.
 */
@Command(name = "systemd", mixinStandardHelpOptions = true,
        description = {"Install systemd units for the audit server and the SSH gateway (hardened, as the system "
                + "user ttyaudit),", "enabled when systemd runs here. --uninstall disables and removes them; the "
                + "user and /var/lib/ttyaudit (the data) stay."})
public final class SystemdInstall implements Callable<Integer> {
    static final String USER = "ttyaudit";
    static final String UNIT_DIR = "/etc/systemd/system";

    enum Unit {
        server, gateway;

        String fileName() {
            return "ttyaudit-" + name() + ".service";
        }
    }

    @Mixin
    InstallOptions options;

    @Option(names = "--units", split = ",", paramLabel = "UNIT",
            description = "Which units: server, gateway (default: both).")
    List<Unit> units = new ArrayList<>(List.of(Unit.server, Unit.gateway));

    @Mixin
    Launcher launcher;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        SystemRoot root = options.systemRoot();
        boolean systemdRuns = root.live() && Files.isDirectory(Path.of("/run/systemd/system"));
        List<Step> steps = new ArrayList<>();
        if (options.uninstall) {
            for (Unit u : units) {
                if (systemdRuns && ManagedFile.ours(root.path(UNIT_DIR + "/" + u.fileName()))) {
                    steps.add(new RunCommand(List.of("systemctl", "disable", "--now", u.fileName()),
                            u.fileName() + " is stopped and disabled", () -> !succeeds("systemctl", "is-enabled",
                            "--quiet", u.fileName()) && !succeeds("systemctl", "is-active", "--quiet", u.fileName())));
                }
                steps.add(ManagedFile.absent(root.path(UNIT_DIR + "/" + u.fileName())));
            }
        } else {
            Path exe = launcher.path();
            steps.add(systemUser(root));
            boolean anyDiffers = false;
            for (Unit u : units) {
                String content = unitText(u, exe);
                Path file = root.path(UNIT_DIR + "/" + u.fileName());
                anyDiffers |= !Files.exists(file) || !Files.readString(file).equals(content);
                verify(u, content, exe, out);
                steps.add(ManagedFile.present(file, content, "rw-r--r--"));
            }
            if (systemdRuns) {
                boolean reload = anyDiffers;
                steps.add(new RunCommand(List.of("systemctl", "daemon-reload"), "systemd has read the units",
                        () -> !reload));
                for (Unit u : units) {
                    steps.add(new RunCommand(List.of("systemctl", "enable", u.fileName()), u.fileName()
                            + " is enabled", () -> succeeds("systemctl", "is-enabled", "--quiet", u.fileName())));
                }
            }
        }
        Steps.run(steps, options.dryRun, out);
        List<String> names = units.stream().map(Unit::fileName).toList();
        if (!systemdRuns) {
            out.println("systemd is not running " + (root.live() ? "here" : "for " + root.dir()) + "; on the "
                    + "target system run: systemctl daemon-reload"
                    + (options.uninstall ? "" : " && systemctl enable --now " + String.join(" ", names)));
        } else if (!options.uninstall) {
            out.println("start with: systemctl start " + String.join(" ", names));
        }
        if (options.uninstall) {
            out.println("kept: the user " + USER + " and /var/lib/ttyaudit (the services' data); "
                    + "'userdel " + USER + "' and removing the directory delete them for good");
        }
        return 0;
    }

    /** The system user the services run as: made once, kept on uninstall (it owns the data). */
    private static Step systemUser(SystemRoot root) {
        List<String> argv = new ArrayList<>(List.of("useradd"));
        if (!root.live()) {
            argv.addAll(List.of("--prefix", root.dir().toString()));
        }
        argv.addAll(List.of("--system", "--user-group", "--home-dir", "/var/lib/ttyaudit", "--no-create-home",
                "--shell", "/usr/sbin/nologin", USER));
        return new RunCommand(argv, "the system user " + USER + " exists", () -> {
            try {
                return Accounts.read(root).shellOf(USER).isPresent() || (root.live() && succeeds("id", "-u", USER));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The unit this command writes: its first line is the marker of files 'ttyaudit install' owns. */
    static String unitText(Unit unit, Path launcher) throws IOException {
        return unitText(unit, launcher, "# " + ManagedFile.MARKER + " (systemd); 'ttyaudit install systemd "
                + "--uninstall' removes it.");
    }

    /**
     * The unit text with its first line, {@code origin}, saying who put the file there: this command, or the
     * Debian package, whose build writes the same units with {@link PackagedUnits}.
     */
    static String unitText(Unit unit, Path launcher, String origin) throws IOException {
        return resource(unit.fileName()).replace("@ORIGIN@", origin)
                .replace("@LAUNCHER@", launcher.toString()).replace("@HARDENING@", resource("hardening.conf"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SystemdInstall.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Refuses a unit {@code systemd-analyze verify} rejects, before it is put in place. Skipped (and said so)
     * without the tool or when the launcher is not on this machine, which verify would report.
     */
    private static void verify(Unit unit, String content, Path launcher, PrintWriter out)
            throws IOException, InterruptedException {
        if (!onPath("systemd-analyze") || !Files.isExecutable(launcher)) {
            out.println("not verified: " + unit.fileName() + " (" + (onPath("systemd-analyze")
                    ? launcher + " is not on this machine" : "no systemd-analyze") + ")");
            return;
        }
        Path dir = Files.createTempDirectory("ttyaudit-unit");
        Path file = dir.resolve(unit.fileName());
        try {
            Files.writeString(file, content);
            String output = RunCommand.run(List.of("systemd-analyze", "verify", file.toString()));
            if (output.contains("Unknown key") || output.contains("Invalid")) {
                throw UserError.failure("systemd-analyze verify finds fault with " + unit.fileName() + ": " + output);
            }
        } catch (UserError e) {
            throw UserError.failure("not installing " + unit.fileName() + ": " + e.getMessage());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static boolean succeeds(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
