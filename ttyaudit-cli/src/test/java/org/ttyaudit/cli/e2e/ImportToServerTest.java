package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.cli.e2e.ServerUnderTest.Run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.cli.e2e.ServerUnderTest.cli;

/**
 * {@code ttyaudit import --server}: the imported session reaches a real server through the ingest path, is
 * listed as kind {@code import}, its output is searchable, and it verifies against the signed ledger.
 */
class ImportToServerTest {
    @TempDir
    Path tmp;

    private ServerUnderTest server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anImportedSessionIsListedAsAnImportAndVerifiesOnTheServer() throws Exception {
        server = new ServerUnderTest(tmp.resolve("server"));
        Path credential = server.enrollHostInto(tmp.resolve("host.json"), "importer-1");
        Path cast = tmp.resolve("old-session.cast");
        Files.writeString(cast, """
                {"version": 3, "term": {"cols": 90, "rows": 25, "type": "xterm"}, "timestamp": 1700000000, "command": "bash"}
                [0.2, "o", "$ "]
                [0.3, "i", "cat /etc/imported-marker\\r"]
                [0.1, "o", "cat /etc/imported-marker\\r\\nzebra-unicorn-42\\r\\n$ "]
                [0.5, "x", "0"]
                """);
        Path data = tmp.resolve("client-data");
        Map<String, String> env = ServerUnderTest.homeEnvironment(tmp.resolve("home"));
        Run imported = cli(env, "", false, tmp, "import", cast.toString(), "--format", "asciicast", "--server",
                server.url, "--credential-file", credential.toString(), "--data", data.toString(), "--user", "carol");
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("and uploaded it to " + server.url);
        Matcher m = Pattern.compile("as session (\\S+) and uploaded").matcher(imported.out());
        assertThat(m.find()).as(imported.out()).isTrue();
        String id = m.group(1);
        try (Stream<Path> spool = Files.list(data.resolve("spool"))) {
            assertThat(spool.filter(p -> p.toString().endsWith(".tta"))).as("nothing left to upload").isEmpty();
        }

        String token = server.adminApiToken();
        Map<String, String> admin = server.tokenEnvironment(tmp.resolve("admin-home"), token);
        Run listed = cli(admin, "", false, tmp, "sessions", "--kind", "import", "--json", "--all");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        JsonNode sessions = ServerUnderTest.JSON.readTree(listed.out()).get("items");
        assertThat(sessions).hasSize(1);
        JsonNode s = sessions.get(0);
        assertThat(s.get("id").asText()).isEqualTo(id);
        assertThat(s.get("kind").asText()).isEqualTo("import");
        assertThat(s.get("user").asText()).isEqualTo("carol");
        assertThat(s.get("started_at").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(s.get("exit_status").asInt()).isZero();
        assertThat(s.get("tags").get("import_format").asText()).isEqualTo("asciicast-v3");
        // The same file again, from another data directory: with a login the server is asked, and knows it.
        Map<String, String> withLogin = server.tokenEnvironment(tmp.resolve("home"), token);
        Run again = cli(withLogin, "", false, tmp, "import", cast.toString(), "--format", "asciicast", "--server",
                server.url, "--credential-file", credential.toString(), "--data", tmp.resolve("other-data").toString(),
                "--user", "carol");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).isEqualTo("ttyaudit: " + cast + ": already imported as session " + id
                + " (the same SHA-256; --force imports it again)\n");
        assertThat(ServerUnderTest.JSON.readTree(cli(admin, "", false, tmp, "sessions", "--kind", "import", "--json",
                "--all").out()).get("items")).hasSize(1);
        Run recorders = cli(admin, "", false, tmp, "sessions", "--kind", "recorder", "--json", "--all");
        assertThat(ServerUnderTest.JSON.readTree(recorders.out()).get("items")).isEmpty();

        server.server.awaitOutputIndexed(java.time.Duration.ofSeconds(30));
        Run found = cli(admin, "", false, tmp, "search", "zebra-unicorn-42", "--all");
        assertThat(found.exitCode()).as(found.toString()).isZero();
        assertThat(found.out()).contains(id);

        Thread.sleep(1500);   // the next signed tree head covers the whole session
        Run verified = cli(admin, "", false, tmp, "verify", id);
        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("session " + id + ": intact");
    }
}
