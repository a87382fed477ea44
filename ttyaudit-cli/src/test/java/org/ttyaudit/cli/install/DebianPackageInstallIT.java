package org.ttyaudit.cli.install;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Installs the built package into this machine with {@code dpkg -i}, as CI does in its throwaway container (as
 * root), uses it, and removes and purges it again. Skipped where it cannot run — not root, no dpkg — and where
 * a package ttyaudit is installed already (that one is left alone).
 */
class DebianPackageInstallIT {
    private static final String SERVER_YAML = "/etc/ttyaudit/server.yaml";
    private static final String DATA = "/var/lib/ttyaudit";

    @TempDir
    static Path scratch;

    @BeforeAll
    static void onlyWhereItMayInstall() throws Exception {
        assumeTrue(Trees.isRoot(), "dpkg -i needs root (CI runs as root in a throwaway container)");
        assumeTrue(Trees.onPath("dpkg") && Files.exists(Path.of("/var/lib/dpkg/status")),
                "not a Debian system with dpkg");
        // dpkg -i installs no dependencies: the package's must be there (.ci/run installs them)
        assumeTrue(Trees.onPath("adduser"), "no adduser, which the package's postinst needs");
        assumeTrue(DebianPackage.run("dpkg-query", "-W", "-f=${Status}\n", "default-jre-headless",
                        "openjdk-17-jre-headless", "openjdk-21-jre-headless", "openjdk-25-jre-headless").output()
                        .contains("install ok installed"),
                "no Java runtime installed as a Debian package (default-jre-headless, openjdk-17-jre-headless, …)");
        assumeTrue(dpkgStatus().isEmpty() || dpkgStatus().endsWith("not-installed"),
                "a package ttyaudit is installed on this machine already; not touching it");
        assumeTrue(!Files.exists(Path.of("/etc/ttyaudit/host.json")) && !Files.exists(Path.of(DATA)),
                "this machine has a ttyaudit set up by hand (/etc/ttyaudit/host.json or " + DATA
                        + "), which a purge would delete; not touching it");
    }

    @AfterAll
    static void purgeWhatATestLeft() throws Exception {
        if (Trees.isRoot() && Trees.onPath("dpkg-query") && (dpkgStatus().contains(" ok installed")
                || dpkgStatus().contains(" config-files") || dpkgStatus().contains(" half-"))) {
            DebianPackage.run("dpkg", "--purge", "ttyaudit");
        }
    }

    private static String dpkgStatus() throws Exception {
        DebianPackage.Result r = DebianPackage.run("dpkg-query", "-W", "-f=${Package} ${Status}", "ttyaudit");
        return r.exitCode() == 0 ? r.output() : "";
    }

    private static boolean installed() throws Exception {
        return dpkgStatus().contains("install ok installed");
    }

    private static String mode(String path) throws Exception {
        PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        return PosixFilePermissions.toString(a.permissions()) + " " + a.owner().getName() + ":" + a.group().getName();
    }

    private static void serverStartsAsTheServiceUser() throws Exception {
        String unit = Files.readString(Path.of("/lib/systemd/system/ttyaudit-server.service"));
        Matcher exec = Pattern.compile("\nExecStart=(.*)\n").matcher(unit);
        assertThat(exec.find()).isTrue();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "ttyaudit", "--"));
        argv.addAll(List.of(exec.group(1).replace("0.0.0.0:8443", "127.0.0.1:" + port).split(" ")));
        Path log = scratch.resolve("server.log");
        Process server = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String text = "";
            while (server.isAlive() && System.nanoTime() < deadline && !text.contains("TLS certificate fingerprint")) {
                Thread.sleep(100);
                text = Files.readString(log);
            }
            assertThat(text).as("the server's output").contains("one-time password")
                    .contains("TLS certificate fingerprint");
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(mode(DATA + "/server")).endsWith(" ttyaudit:ttyaudit");
    }

    @Test
    void installUseRemoveAndPurge() throws Exception {
        // install: the user, the data directory, the settings' group, the launcher, the units
        DebianPackage.run("dpkg", "-i", DebianPackage.deb().toString()).ok();
        assertThat(dpkgStatus()).isEqualTo("ttyaudit install ok installed");
        String passwd = DebianPackage.run("getent", "passwd", "ttyaudit").ok().output().strip();
        String[] fields = passwd.split(":");
        assertThat(Integer.parseInt(fields[2])).as("a system user's uid: " + passwd).isLessThan(1000);
        assertThat(fields[5]).isEqualTo(DATA);
        assertThat(fields[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(mode(DATA)).isEqualTo("rwxr-x--- ttyaudit:ttyaudit");
        assertThat(mode(SERVER_YAML)).isEqualTo("rw-r----- root:ttyaudit");
        assertThat(mode("/usr/bin/ttyaudit")).isEqualTo("rwxr-xr-x root:root");
        assertThat(mode("/usr/share/ttyaudit/ttyaudit.jar")).isEqualTo("rw-r--r-- root:root");
        assertThat(mode("/usr/share/ttyaudit/ttyaudit-recorder.jar")).isEqualTo("rw-r--r-- root:root");
        for (String unit : DebianPackage.UNITS) {
            assertThat(Files.readString(Path.of("/lib/systemd/system", unit)))
                    .isEqualTo(PackagedUnits.text(SystemdInstall.Unit.valueOf(unit.split("[-.]")[1])));
        }
        // postinst made the recorder's class-data-sharing archive, readable by every user
        assertThat(mode("/var/cache/ttyaudit/ttyaudit.jsa")).isEqualTo("rw-r--r-- root:root");
        // and copied the native libraries out of the jar, for every user to load (not unpacked into /tmp)
        assertThat(mode("/var/cache/ttyaudit/ttyaudit-native")).isEqualTo("rwxr-xr-x root:root");
        assertThat(mode("/var/cache/ttyaudit/ttyaudit-native/libzstd-jni.so")).isEqualTo("rw-r--r-- root:root");
        assertThat(mode("/var/cache/ttyaudit/ttyaudit-native/libjnidispatch.so")).isEqualTo("rw-r--r-- root:root");
        assertThat(mode("/var/cache/ttyaudit/ttyaudit-native/libsqlitejdbc.so")).isEqualTo("rw-r--r-- root:root");

        // the installed launcher works, for a user who cannot write anything of the package's
        assertThat(DebianPackage.run("/usr/bin/ttyaudit", "--version").ok().output())
                .contains("ttyaudit " + DebianPackage.projectVersion());
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx--x--x"));
        Path work = Files.createDirectories(scratch.resolve("nobody"));
        DebianPackage.run("chown", "nobody", work.toString()).ok();
        Path record = work.resolve("true.tta");
        // -Xshare:on: the JVM refuses to start unless it maps the archive postinst made
        DebianPackage.Result recorded = DebianPackage.run("runuser", "-u", "nobody", "--", "env", "HOME=" + work,
                "TTYAUDIT_JAVA_OPTS=-Xshare:on", "/usr/bin/ttyaudit", "record", "-o", record.toString(), "--", "true")
                .ok();
        assertThat(record).as(recorded.output()).isRegularFile();
        assertThat(DebianPackage.run("/usr/bin/ttyaudit", "verify", record.toString()).ok().output())
                .contains("intact");

        // the server starts as the unit starts it: as ttyaudit, the packaged settings, its data directory
        serverStartsAsTheServiceUser();

        if (Trees.onPath("systemd-analyze")) {
            for (String unit : DebianPackage.UNITS) {
                DebianPackage.Result verify = DebianPackage.run("systemd-analyze", "verify", "/lib/systemd/system/"
                        + unit);
                assertThat(verify.output()).as(unit).doesNotContain("Unknown key").doesNotContain("Invalid")
                        .doesNotContain(unit);
            }
        }

        // a second install of the same package (dpkg reinstalls: postinst configure again) changes nothing
        Files.writeString(Path.of(DATA, "kept"), "the services' data");
        DebianPackage.run("dpkg", "-i", DebianPackage.deb().toString()).ok();
        assertThat(DebianPackage.run("getent", "passwd", "ttyaudit").ok().output().strip()).isEqualTo(passwd);
        assertThat(mode(DATA)).isEqualTo("rwxr-x--- ttyaudit:ttyaudit");
        assertThat(mode(SERVER_YAML)).isEqualTo("rw-r----- root:ttyaudit");

        // removal is refused while logins still go through the package's launcher
        Path dropIn = Path.of("/etc/ssh/sshd_config.d/50-ttyaudit.conf");
        if (!Files.exists(dropIn)) {
            Files.createDirectories(dropIn.getParent());
            Files.writeString(dropIn, "Match Group ops\n    ForceCommand /usr/bin/ttyaudit shell\n");
            try {
                DebianPackage.Result refused = DebianPackage.run("dpkg", "-r", "ttyaudit");
                assertThat(refused.exitCode()).as(refused.output()).isNotZero();
                assertThat(refused.output()).contains("ttyaudit install sshd --uninstall");
                assertThat(installed()).isTrue();
            } finally {
                Files.delete(dropIn);
            }
        }

        // remove: the program goes; the settings, the data and the user stay
        DebianPackage.run("dpkg", "-r", "ttyaudit").ok();
        assertThat(dpkgStatus()).isEqualTo("ttyaudit deinstall ok config-files");
        assertThat(Path.of("/usr/bin/ttyaudit")).doesNotExist();
        assertThat(Path.of("/usr/share/ttyaudit")).doesNotExist();
        assertThat(Path.of("/lib/systemd/system/ttyaudit-server.service")).doesNotExist();
        assertThat(Path.of("/var/cache/ttyaudit")).doesNotExist();
        assertThat(Path.of(SERVER_YAML)).isRegularFile();
        assertThat(Path.of(DATA, "kept")).hasContent("the services' data");

        // purge: the settings and the data go too; the statoverride with them; the user stays (by design)
        DebianPackage.run("dpkg", "-P", "ttyaudit").ok();
        assertThat(dpkgStatus()).isIn("", "ttyaudit unknown ok not-installed");
        assertThat(Path.of("/etc/ttyaudit")).doesNotExist();
        assertThat(Path.of(DATA)).doesNotExist();
        assertThat(DebianPackage.run("dpkg-statoverride", "--list", SERVER_YAML).output()).isBlank();
        assertThat(DebianPackage.run("getent", "passwd", "ttyaudit").exitCode()).isZero();
    }
}
