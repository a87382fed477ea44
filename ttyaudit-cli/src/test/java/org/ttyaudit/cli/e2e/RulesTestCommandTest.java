package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.cli.e2e.ServerUnderTest.Run;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.recorder.pty.WindowSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.cli.e2e.ServerUnderTest.JSON;
import static org.ttyaudit.cli.e2e.ServerUnderTest.cli;

/**
 * {@code ttyaudit rules test}: a person records a bash session with the real recorder in a real terminal,
 * uploading it to a real server, and types risky commands and look-alikes; the command replays the local record
 * file and the server's copy of the session through the rules and prints what would fire.
 */
class RulesTestCommandTest {
    static final String PROMPT = "rt[#$] ";

    @TempDir
    static Path home;
    static Path record;
    static ServerUnderTest server;
    static String sessionId;

    @BeforeAll
    static void recordAndUploadASession() throws Exception {
        server = new ServerUnderTest(home.resolve("server"));
        Path credential = home.resolve("host.json");
        String enrollment = server.post("/api/v1/enrollment-tokens", server.admin(), Map.of("ttl_hours", 1)).json()
                .get("token").asText();
        RecordFixture.CliResult enrolled = RecordFixture.cli("enroll", "--server", server.url, "--token", enrollment,
                "--fingerprint", server.fingerprint, "--credential-file", credential.toString(), "--host",
                "rules-host");
        assertThat(enrolled.exitCode()).as(enrolled.err()).isZero();

        RecordFixture.writeFile(home.resolve(".bashrc"), "PS1='rt\\$ '\n");
        record = home.resolve("risky.tta");
        try (TerminalSession t = TerminalSession.start(List.of("record", "--upload", "--credential-file",
                credential.toString(), "--output", record.toString(), "--", "bash"),
                RecordFixture.environment(home, "/bin/bash"), new WindowSize(100, 30))) {
            int at = t.awaitOutput(PROMPT);
            at = t.runLine(at, PROMPT, "echo \"use sudo to become root\"");
            at = t.runLine(at, PROMPT, "cd /tmp && sudo -n true");
            at = t.runLine(at, PROMPT, "history -c");
            at = t.runLine(at, PROMPT, "rm -rf ./build-never-there");
            t.runLine(at, PROMPT, "echo 'Permission denied' is what I expect");
            t.type("exit\r");
            assertThat(t.awaitExit().code()).as(t.output()).isZero();
        }
        sessionId = RecordFileReader.open(record).header().sessionId().toString();
        awaitOnServer(Files.readAllBytes(record));
    }

    /** The upload goes on in the background after the recorder exits: wait until the server holds the record. */
    private static void awaitOnServer(byte[] local) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            ServerUnderTest.Response r = server.get("/api/v1/sessions/" + sessionId + "/record", server.admin());
            if (r.status() == 200 && Arrays.equals(r.body(), local)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server never held the whole session: " + r);
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        TerminalSession.endProcessesUnder(home);
    }

    private static List<String> firedLines(String out) {
        return out.lines().toList();
    }

    @Test
    void theDefaultPackFlagsSudoAndHistoryClearingButNotTheirLookAlikes() {
        RecordFixture.CliResult r = RecordFixture.cli("rules", "test", "--record", record.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = firedLines(r.out());
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\+\\d\\d:\\d\\d\\.\\d{3}  medium    sudo-use\\s+"
                + "command  cd /tmp && sudo -n true"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("medium", "history-cleared", "command",
                "history -c"));
        assertThat(r.out()).doesNotContain("use sudo to become root").doesNotContain("build-never-there");
        // sudo's own exec event (if the sampler saw it) belongs to the same command: the rule fires once
        assertThat(lines.stream().filter(l -> l.contains("sudo-use"))).hasSize(1);
    }

    @Test
    void aRuleFileAddsRulesAndJsonGivesEveryField() throws Exception {
        Path rules = RecordFixture.writeFile(home.resolve("rules.yaml"), """
                disable: [history-cleared]
                rules:
                  - name: denied-output
                    description: Something was refused
                    severity: low
                    match: {output: 'Permission denied'}
                    actions: [alert, {notify: [ops]}]
                """);
        RecordFixture.CliResult r = RecordFixture.cli("rules", "test", "--rules", rules.toString(), "--record",
                record.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rows = JSON.readTree(r.out());
        List<String> names = new ArrayList<>();
        rows.forEach(n -> names.add(n.get("rule").asText()));
        assertThat(names).contains("sudo-use", "denied-output").doesNotContain("history-cleared");
        List<JsonNode> denied = new ArrayList<>();
        rows.forEach(n -> {
            if (n.get("rule").asText().equals("denied-output")) {
                denied.add(n);
            }
        });
        // Twice: the terminal's echo of the typed line (before the command starts, so no command id; found although
        // each key is an output event of its own), and the command's own output (which the recorder may report just
        // after the command's end).
        assertThat(denied).hasSize(2);
        assertThat(denied.get(0).get("command_id").isNull()).isTrue();
        assertThat(denied.get(1).get("command_id").isNumber()).isTrue();
        for (JsonNode n : denied) {
            assertThat(n.get("trigger").asText()).isEqualTo("output");
            assertThat(n.get("matched").asText()).isEqualTo("Permission denied");
            assertThat(n.get("severity").asText()).isEqualTo("low");
            assertThat(n.get("description").asText()).isEqualTo("Something was refused");
            assertThat(n.get("actions").toString()).isEqualTo("[\"alert\",\"notify\"]");
            assertThat(n.get("offset_micros").asLong()).isPositive();
            assertThat(n.get("at").asText()).endsWith("Z");
        }

        RecordFixture.CliResult only = RecordFixture.cli("rules", "test", "--rules", rules.toString(),
                "--no-default-pack", "--record", record.toString());
        assertThat(only.out()).contains("denied-output").doesNotContain("sudo-use");
    }

    @Test
    void theServersCopyOfTheSessionGivesTheSameMatches() throws Exception {
        RecordFixture.CliResult local = RecordFixture.cli("rules", "test", "--record", record.toString());
        Run remote = cli(server.tokenEnvironment(home.resolve("auditor"), server.adminApiToken()), "", false,
                home, "rules", "test", "--session", sessionId);
        assertThat(remote.exitCode()).as(remote.toString()).isZero();
        assertThat(remote.out()).isEqualTo(local.out()).contains("sudo-use");
        // the downloaded copy is a temporary file that is gone afterwards
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tta")
                    && n.contains(sessionId));
        }
    }

    @Test
    void mistakesAreUsageErrorsNamingFileLineAndReason() throws Exception {
        Path bad = RecordFixture.writeFile(home.resolve("bad.yaml"), """
                rules:
                  - name: x
                    severity: urgent
                    match: {program: x}
                """);
        RecordFixture.CliResult r = RecordFixture.cli("rules", "test", "--rules", bad.toString(), "--record",
                record.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(bad + ":3: severity: unknown severity 'urgent'");
        assertThat(RecordFixture.cli("rules", "test", "--no-default-pack", "--record", record.toString())
                .exitCode()).isEqualTo(2);
        assertThat(RecordFixture.cli("rules", "test").exitCode()).isEqualTo(2);
        assertThat(RecordFixture.cli("rules", "test", "--record", record.toString(), "--session", sessionId)
                .exitCode()).isEqualTo(2);
        RecordFixture.CliResult notId = RecordFixture.cli("rules", "test", "--session", "not-a-uuid");
        assertThat(notId.exitCode()).isEqualTo(2);
        assertThat(notId.err()).contains("'not-a-uuid' is not a session id");
        assertThat(RecordFixture.cli("rules", "test", "--record", home.resolve("nope.tta").toString()).exitCode())
                .isEqualTo(2);
    }
}
