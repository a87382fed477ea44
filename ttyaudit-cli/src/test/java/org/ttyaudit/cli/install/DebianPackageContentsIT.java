package org.ttyaudit.cli.install;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the Debian package holds, read with {@code dpkg-deb} (no installing, no root): its control fields and
 * maintainer scripts, every file with its owner and mode, units equal to those of {@code ttyaudit install systemd},
 * the launcher's shared script, and a default {@code server.yaml} a server starts with.
 */
class DebianPackageContentsIT {
    @TempDir
    static Path tree;

    @TempDir
    static Path control;

    @BeforeAll
    static void extract() throws Exception {
        assumeTrue(Trees.onPath("dpkg-deb"), "no dpkg-deb (Debian's dpkg) to read the package with");
        DebianPackage.run("dpkg-deb", "-x", DebianPackage.deb().toString(), tree.toString()).ok();
        DebianPackage.run("dpkg-deb", "-e", DebianPackage.deb().toString(), control.resolve("DEBIAN").toString()).ok();
    }

    private static String field(String name) throws Exception {
        return DebianPackage.run("dpkg-deb", "-f", DebianPackage.deb().toString(), name).ok().output().strip();
    }

    @Test
    void controlFieldsNameTheJavaRuntimeAndASnapshotVersionThatSortsByBuild() throws Exception {
        assertThat(field("Package")).isEqualTo("ttyaudit");
        assertThat(field("Architecture")).isEqualTo("all");
        assertThat(field("Depends")).isEqualTo("default-jre-headless (>= 2:1.17) | openjdk-17-jre-headless | "
                + "java17-runtime-headless, adduser");
        String version = DebianPackage.projectVersion();
        if (version.endsWith("-SNAPSHOT")) {
            // 0.1.0~20261206232855: '~' sorts before the release 0.1.0, the build time orders the snapshots.
            assertThat(field("Version")).matches(java.util.regex.Pattern.quote(
                    version.replace("-SNAPSHOT", "~")) + "\\d{14}");
        } else {
            assertThat(field("Version")).isEqualTo(version);
        }
    }

    @Test
    void maintainerScriptsAreExecutableShellAndTheSettingsAreAConffile() throws Exception {
        Path dir = control.resolve("DEBIAN");
        assertThat(Files.readString(dir.resolve("conffiles"))).isEqualTo("/etc/ttyaudit/server.yaml\n");
        assertThat(Files.readString(dir.resolve("triggers"))).contains("\ninterest-noawait /usr/lib/jvm\n");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = dir.resolve(script);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwxr-xr-x");
            assertThat(Files.readString(file)).startsWith("#!/bin/sh\n").contains("\nset -e\n");
            DebianPackage.run("sh", "-n", file.toString()).ok();
        }
        // the services are not enabled or started on install (see the script's comment for why)
        String postinstCode = Files.readAllLines(dir.resolve("postinst")).stream()
                .filter(l -> !l.trim().startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(postinstCode).contains("adduser --system").doesNotContain("enable").doesNotContain(" start");
    }

    @Test
    void everyFileHasItsOwnerAndMode() throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (String line : DebianPackage.run("dpkg-deb", "-c", DebianPackage.deb().toString()).ok().output()
                .split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].startsWith("-")) {
                files.put(f[f.length - 1], f[0] + " " + f[1]);
            }
        }
        assertThat(files).isEqualTo(Map.of(
                "./usr/bin/ttyaudit", "-rwxr-xr-x root/root",
                "./usr/share/ttyaudit/ttyaudit.jar", "-rw-r--r-- root/root",
                "./usr/share/ttyaudit/ttyaudit-recorder.jar", "-rw-r--r-- root/root",
                "./usr/share/ttyaudit/run-jar.sh", "-rw-r--r-- root/root",
                "./lib/systemd/system/ttyaudit-server.service", "-rw-r--r-- root/root",
                "./lib/systemd/system/ttyaudit-gateway.service", "-rw-r--r-- root/root",
                // postinst makes it 0640 root:ttyaudit (a statoverride): the user does not exist at unpacking
                "./etc/ttyaudit/server.yaml", "-rw-r--r-- root/root",
                "./usr/share/doc/ttyaudit/copyright", "-rw-r--r-- root/root",
                "./usr/share/doc/ttyaudit/changelog.gz", "-rw-r--r-- root/root"));
    }

    @Test
    void theUnitsAreThoseOfInstallSystemdRunningThePackagedLauncher() throws Exception {
        for (SystemdInstall.Unit unit : SystemdInstall.Unit.values()) {
            String packaged = Files.readString(tree.resolve("lib/systemd/system/" + unit.fileName()));
            assertThat(packaged).isEqualTo(PackagedUnits.text(unit))
                    .contains("\nExecStart=/usr/bin/ttyaudit " + unit.name() + " ")
                    .contains("\nProtectSystem=strict\n")
                    .startsWith("# Installed by the Debian package ttyaudit");
            String installed = SystemdInstall.unitText(unit, Path.of("/usr/bin/ttyaudit"));
            // only the first line, which says who put the file there, differs
            assertThat(packaged.substring(packaged.indexOf('\n')))
                    .isEqualTo(installed.substring(installed.indexOf('\n')));
        }
    }

    @Test
    void theLauncherRunsTheInstalledJarThroughTheScriptTheCheckoutUses() throws Exception {
        assertThat(Files.readString(tree.resolve("usr/share/ttyaudit/run-jar.sh")))
                .isEqualTo(Files.readString(Path.of("../bin/run-jar.sh")));
        assertThat(Files.readString(tree.resolve("usr/bin/ttyaudit")))
                .contains("\njar=/usr/share/ttyaudit/ttyaudit.jar\n")
                .contains("\n. /usr/share/ttyaudit/run-jar.sh\n")
                .doesNotContain("mvn");
    }

    @Test
    void aServerStartsWithTheDefaultSettings() throws Exception {
        Path settings = tree.resolve("etc/ttyaudit/server.yaml");
        assertThat(Files.readString(settings)).doesNotContainIgnoringCase("password");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = Files.createDirectories(tree.resolve("data"));
        Path log = tree.resolve("server.log");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", tree.resolve("usr/share/ttyaudit/ttyaudit.jar").toString(), "server", "--data",
                data.toString(), "--listen", "127.0.0.1:" + port, "--config", settings.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String text = "";
            while (server.isAlive() && System.nanoTime() < deadline && !text.contains("TLS certificate fingerprint")) {
                Thread.sleep(100);
                text = Files.readString(log, StandardCharsets.UTF_8);
            }
            assertThat(text).as("the server's output").contains("TLS certificate fingerprint");
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
