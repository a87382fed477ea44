package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.api.AuditedDataDirectory;
import org.ttyaudit.server.api.ServerFixture;
import org.ttyaudit.server.testkit.S3Server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that keeps chunk bytes in S3 (a real S3 API server, s3proxy), seen through the command line: its
 * sessions export by id through the server, {@code ttyaudit verify --data DIR} reads the bucket named by the
 * data directory's server.yaml (or by {@code --config FILE}), and {@code ttyaudit server} with a wrong secret
 * stops with one clear line that does not show it.
 */
class S3StoreEndToEndTest {
    @TempDir
    static Path root;
    static S3Server s3;
    static AuditedDataDirectory audited;

    @BeforeAll
    static void runAServerOnS3() throws Exception {
        s3 = S3Server.start(root);
        s3.createBucket("e2e");
        Path dataDir = Files.createDirectories(root.resolve("server"));
        Files.writeString(dataDir.resolve("s3-secret"), s3.secretAccessKey + "\n");
        Files.writeString(dataDir.resolve("server.yaml"), settings("s3-secret"));
        audited = AuditedDataDirectory.create(dataDir);
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    private static String settings(String secretFile) {
        return s3.blobsSection("e2e", "chunks", secretFile);
    }

    @Test
    void theStoreVerifiesFromTheBucketNamedByServerYaml() {
        assertThat(audited.dataDir.resolve("blobs")).doesNotExist();

        RecordFixture.CliResult r = RecordFixture.cli("verify", "--data", audited.dataDir.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(audited.dataDir + ": intact: 3 sessions, 7 chunks, ");
    }

    @Test
    void withTheSettingsElsewhereConfigNamesThemAndWithoutThemEveryBlobIsMissing(@TempDir Path dir)
            throws Exception {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String f : List.of("server.db", "keys/ledger.key")) {
            Files.createDirectories(copy.resolve(f).getParent());
            Files.copy(audited.dataDir.resolve(f), copy.resolve(f));
        }
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("s3-secret"), s3.secretAccessKey);
        Path yaml = Files.writeString(etc.resolve("server.yaml"), settings("s3-secret"));

        RecordFixture.CliResult withConfig = RecordFixture.cli("verify", "--data", copy.toString(), "--config",
                yaml.toString());
        assertThat(withConfig.exitCode()).as(withConfig.err()).isZero();

        RecordFixture.CliResult without = RecordFixture.cli("verify", "--data", copy.toString());
        assertThat(without.exitCode()).isEqualTo(1);
        assertThat(without.err()).contains("session " + audited.alice + ": chunk 0 (blobs/sessions/" + audited.alice
                + "/0.chunk): blob missing");
    }

    @Test
    void sessionsExportByIdThroughTheServer(@TempDir Path home) throws Exception {
        try (ServerUnderTest server = new ServerUnderTest(audited.dataDir)) {
            String login = server.login("admin", ServerFixture.ADMIN_PASSWORD);
            String token = server.post("/api/v1/tokens", login, Map.of("name", "s3-e2e")).json().get("token")
                    .asText();
            Path cast = home.resolve("alice.cast");

            ServerUnderTest.Run export = ServerUnderTest.cli(server.tokenEnvironment(home, token), "", false, home,
                    "export", audited.alice.toString(), "--format", "asciicast-v2", "-o", cast.toString());

            assertThat(export.exitCode()).as(export.toString()).isZero();
            assertThat(Files.readString(cast)).contains("root:x:0:0", "done");
        }
    }

    @Test
    void aServerWithAWrongSecretStopsWithOneLineThatDoesNotShowIt(@TempDir Path dir) throws Exception {
        String wrong = "wrong-" + s3.secretAccessKey;
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Files.writeString(dataDir.resolve("s3-secret"), wrong);
        Files.writeString(dataDir.resolve("server.yaml"), settings("s3-secret"));

        Path log = dir.resolve("server.out");
        Process p = new ProcessBuilder(TerminalSession.ttyauditCommand(List.of("server", "--data",
                dataDir.toString(), "--listen", "127.0.0.1:0"))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);

        assertThat(exited).as("the server stopped by itself; it printed:\n" + output).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("ttyaudit: the blob store s3://e2e/chunks/ at " + s3.endpoint
                + " cannot be used: HTTP 403").doesNotContain(wrong).doesNotContain(s3.secretAccessKey);
        assertThat(output.lines().filter(l -> l.startsWith("\tat "))).as("no stack trace").isEmpty();
    }
}
