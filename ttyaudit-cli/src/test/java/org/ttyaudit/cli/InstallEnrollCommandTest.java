package org.ttyaudit.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.recorder.upload.FakeIngestServer;
import org.ttyaudit.recorder.upload.HostCredentialFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ttyaudit install enroll} against a scratch system tree and a fake server. */
class InstallEnrollCommandTest {
    @TempDir
    Path dir;

    private FakeIngestServer server;
    private Path root;
    private Path credential;

    @BeforeEach
    void setUp() throws Exception {
        server = FakeIngestServer.start(dir.resolve("tls"));
        server.addEnrollmentToken("tte_good");
        root = dir.resolve("root");
        Files.createDirectories(root);
        credential = root.resolve("etc/ttyaudit/host.json");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private CliRun install(String... extra) {
        List<String> args = new ArrayList<>(List.of("install", "enroll", "--root", root.toString(), "--server",
                server.uri().toString(), "--token", "tte_good", "--fingerprint", server.fingerprint(), "--host", "web-1"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void enrollsOnceIntoTheSystemCredentialAndASecondRunKeepsIt() throws Exception {
        CliRun first = install();

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("changed: enrolled web-1 (host id " + FakeIngestServer.HOST_ID + ")")
                .contains("credential written to " + credential);
        assertThat(HostCredentialFile.read(credential).credential()).isEqualTo(FakeIngestServer.CREDENTIAL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential.getParent())))
                .isEqualTo("rwxr-xr-x");
        byte[] written = Files.readAllBytes(credential);

        CliRun second = install(); // the token is single-use: a second enrollment would fail, so none is tried
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("already so: this host is enrolled (host id " + FakeIngestServer.HOST_ID)
                .contains("nothing to change");
        assertThat(Files.readAllBytes(credential)).isEqualTo(written);
    }

    @Test
    void extraServersGoIntoTheSystemCredentialAndAreNamedWhenItIsThere() throws Exception {
        CliRun dry = install("--server", "https://audit-2.example:8443", "--dry-run");
        assertThat(dry.out()).contains("enroll with " + server.uri() + " (then https://audit-2.example:8443)");

        CliRun run = install("--server", "https://audit-2.example:8443");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(HostCredentialFile.read(credential).servers()).containsExactly(server.uri(),
                java.net.URI.create("https://audit-2.example:8443"));
        assertThat(install().out()).contains("with " + server.uri() + " (then https://audit-2.example:8443)");
    }

    @Test
    void groupMakesTheCredentialReadableByThatGroup() throws Exception {
        String group = Files.readAttributes(dir, PosixFileAttributes.class).group().getName();

        CliRun run = install("--group", group);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential))).isEqualTo("rw-r-----");
        assertThat(Files.readAttributes(credential, PosixFileAttributes.class).group().getName()).isEqualTo(group);
    }

    @Test
    void uninstallRemovesTheCredentialAndSaysTheServerStillListsTheHost() throws Exception {
        assertThat(install().exitCode()).isZero();

        CliRun undo = CliRun.of("install", "enroll", "--uninstall", "--root", root.toString());

        assertThat(undo.exitCode()).as(undo.toString()).isZero();
        assertThat(undo.out()).contains("changed: removed " + credential)
                .contains("still lists host id " + FakeIngestServer.HOST_ID);
        assertThat(credential).doesNotExist();
        assertThat(CliRun.of("install", "enroll", "--uninstall", "--root", root.toString()).out())
                .contains("already so: " + credential + " does not exist");
    }

    @Test
    void aFileThatIsNotACredentialIsNeitherReplacedNorRemoved() throws Exception {
        Files.createDirectories(credential.getParent());
        Files.writeString(credential, "not json\n");

        CliRun install = install();
        CliRun undo = CliRun.of("install", "enroll", "--uninstall", "--root", root.toString());

        assertThat(install.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(install.err()).contains("exists but is not a host credential").contains("leaving it alone");
        assertThat(undo.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(Files.readString(credential)).isEqualTo("not json\n");
    }

    @Test
    void aDryRunNeitherSpendsTheTokenNorWrites() throws Exception {
        CliRun dry = install("--dry-run");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would change: enroll with " + server.uri());
        assertThat(credential).doesNotExist();
        assertThat(install().exitCode()).isZero(); // the token still works
    }

    @Test
    void installingWithoutServerOrTokenIsAUsageError() {
        CliRun run = CliRun.of("install", "enroll", "--root", root.toString());

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("needs --server URL and --token TOKEN");
    }
}
