package org.ttyaudit.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.recorder.upload.FakeIngestServer;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.HostCredentialFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class EnrollCommandTest {
    @TempDir
    Path dir;

    private FakeIngestServer server;
    private Path credentialFile;

    @BeforeEach
    void setUp() throws Exception {
        server = FakeIngestServer.start(dir.resolve("tls"));
        server.addEnrollmentToken("tte_good");
        credentialFile = dir.resolve("etc/host.json");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private CliRun enroll(String... extra) {
        String[] base = {"enroll", "--server", server.uri().toString(), "--token", "tte_good", "--credential-file",
                credentialFile.toString(), "--host", "web-1"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void enrollingWritesTheCredentialFileWithMode0600AndSaysWhere() throws Exception {
        CliRun run = enroll("--fingerprint", server.fingerprint());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("enrolled web-1 (host id " + FakeIngestServer.HOST_ID + ")")
                .contains("credential written to " + credentialFile).doesNotContain(FakeIngestServer.CREDENTIAL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentialFile)))
                .isEqualTo("rw-------");
        HostCredential c = HostCredentialFile.read(credentialFile);
        assertThat(c.server()).isEqualTo(server.uri());
        assertThat(c.fingerprint()).isEqualTo(server.fingerprint());
        assertThat(c.hostId()).isEqualTo(FakeIngestServer.HOST_ID);
        assertThat(c.credential()).isEqualTo(FakeIngestServer.CREDENTIAL);
    }

    @Test
    void aWrongFingerprintIsRefusedNamingBoth() {
        String wrong = "sha256:" + "ab".repeat(32);
        CliRun run = enroll("--fingerprint", wrong);

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).startsWith("ttyaudit: cannot enroll: cannot connect securely to " + server.uri())
                .contains(wrong).contains(server.fingerprint());
        assertThat(run.err().lines()).hasSize(1);
        assertThat(credentialFile).doesNotExist();
    }

    @Test
    void withoutAFingerprintASelfSignedServerIsRefusedWithAHint() {
        CliRun run = enroll();

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).contains("not trusted").contains(server.fingerprint()).contains("--fingerprint");
        assertThat(credentialFile).doesNotExist();
    }

    @Test
    void aRefusedTokenSaysSo() {
        CliRun run = CliRun.of("enroll", "--server", server.uri().toString(), "--token", "tte_used",
                "--fingerprint", server.fingerprint(), "--credential-file", credentialFile.toString());

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).contains("refused the enrollment token (used, expired or unknown)")
                .doesNotContain("tte_used");
        assertThat(credentialFile).doesNotExist();
    }

    @Test
    void anUnreachableServerSaysSo() {
        server.goDown();
        CliRun run = enroll("--fingerprint", server.fingerprint());

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(run.err()).startsWith("ttyaudit: cannot enroll: cannot reach " + server.uri());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        CliRun plain = CliRun.of("enroll", "--server", "http://audit.example", "--token", "t");
        assertThat(plain.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(plain.err()).contains("must start with https://");
        CliRun fp = CliRun.of("enroll", "--server", "https://audit.example", "--token", "t", "--fingerprint", "abc");
        assertThat(fp.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(fp.err()).contains("'sha256:' followed by 64 hex digits");
    }

    @Test
    void severalServersAreKeptInOrderAndTheFirstThatAnswersEnrolls() throws Exception {
        FakeIngestServer.Front other = server.addFront();
        String down = "https://localhost:" + other.uri().getPort();
        other.goDown();
        CliRun run = CliRun.of("enroll", "--server", down, "--server", server.uri() + ",https://c.example:8443/",
                "--token", "tte_good", "--fingerprint", server.fingerprint(), "--credential-file",
                credentialFile.toString(), "--host", "web-1");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("with " + down + " (then " + server.uri() + ", https://c.example:8443)");
        HostCredential c = HostCredentialFile.read(credentialFile);
        assertThat(c.servers()).containsExactly(java.net.URI.create(down), server.uri(),
                java.net.URI.create("https://c.example:8443"));
        assertThat(c.fingerprint()).as("one pin for the fleet").isEqualTo(server.fingerprint());
    }

    @Test
    void aServerListedTwiceIsAUsageError() {
        CliRun run = CliRun.of("enroll", "--server", "https://a.example", "--server", "https://a.example/",
                "--token", "t");
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("--server: the server URL https://a.example is listed twice");
        assertThat(credentialFile).doesNotExist();
    }
}
