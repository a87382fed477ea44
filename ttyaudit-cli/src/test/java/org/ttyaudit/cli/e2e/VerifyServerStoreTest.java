package org.ttyaudit.cli.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.server.api.AuditedDataDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.cli.e2e.RecordFixture.cli;

/**
 * {@code ttyaudit verify --data DIR} on the data directory of a real server (run in this JVM and stopped):
 * intact, with the server's public key pinned, and tampered with — exit codes, the problem lines, the summary.
 */
class VerifyServerStoreTest {
    @TempDir
    static Path root;
    static AuditedDataDirectory server;

    @BeforeAll
    static void runAServer() throws Exception {
        server = AuditedDataDirectory.create(root.resolve("server"));
    }

    @Test
    void anIntactStoreExitsZeroWithASummaryAndTheLatestSignedHead() {
        RecordFixture.CliResult r = cli("verify", "--data", server.dataDir.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith(server.dataDir + ": intact: 3 sessions, 7 chunks, ");
        assertThat(lines).anyMatch(l -> l.startsWith("  note: latest signed head: tree size "));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void thePinnedPublicKeyOfTheServerIsAccepted(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ledger.pub"), server.ledgerPublicKeyPem);

        RecordFixture.CliResult r = cli("verify", "--data", server.dataDir.toString(), "--ledger-key",
                pem.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void aTamperedStoreExitsOneWithAProblemPerLineThenTheSummary(@TempDir Path dir) throws Exception {
        Path copy = copy(server.dataDir, dir.resolve("copy"));
        String chunk = "blobs/sessions/" + server.alice + "/2.chunk";
        Files.delete(copy.resolve(chunk));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("server.db"));
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE commands SET command_line = 'ls' WHERE command_line = 'uptime'");
        }

        RecordFixture.CliResult r = cli("verify", "--data", copy.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines.subList(0, 2)).containsExactlyInAnyOrder(
                "session " + server.alice + ": chunk 2 (" + chunk + "): blob missing — the file was deleted or moved",
                "session " + server.bob + ": command 1: the command index differs from chunk 0: commandLine is"
                        + " \"ls\" in the database but \"uptime\" in chunk 0 — the index was altered");
        assertThat(lines.get(2)).startsWith(copy + ": NOT intact: 2 problems in 3 sessions, 7 chunks, ");
    }

    @Test
    void aWrongPinnedKeyAndAKeyFileThatIsNotItAreProblems(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other.pub");
        Ed25519Keys.writePublicKey(other, Ed25519Keys.generate().getPublic());

        RecordFixture.CliResult r = cli("verify", "--data", server.dataDir.toString(), "--ledger-key",
                other.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("keys/ledger.key is key ed25519:")
                .endsWith(" — the signing key was replaced");
        assertThat(r.err()).contains("signed by key ed25519:").contains("but the trusted key is the pinned key "
                + other);
    }

    @Test
    void usageErrorsExitTwo(@TempDir Path dir) throws Exception {
        Path record = Files.writeString(dir.resolve("r.tta"), "x");
        assertThat(cli("verify", record.toString(), "--data", server.dataDir.toString()).exitCode()).isEqualTo(2);
        assertThat(cli("verify", "--ledger-key", record.toString()).exitCode()).isEqualTo(2);

        RecordFixture.CliResult missing = cli("verify", "--data", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("ttyaudit: " + dir.resolve("nope") + ": no such directory\n");

        RecordFixture.CliResult notAServer = cli("verify", "--data", dir.toString());
        assertThat(notAServer.exitCode()).isEqualTo(2);
        assertThat(notAServer.err()).contains("is not a ttyaudit server's data directory: it has no server.db");

        RecordFixture.CliResult badPin = cli("verify", "--data", server.dataDir.toString(), "--ledger-key",
                record.toString());
        assertThat(badPin.exitCode()).isEqualTo(2);
        assertThat(badPin.err()).startsWith("ttyaudit: --ledger-key " + record).contains("PUBLIC KEY");
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
