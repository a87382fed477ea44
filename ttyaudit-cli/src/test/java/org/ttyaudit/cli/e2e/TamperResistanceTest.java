package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.recorder.pty.WindowSize;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorded user tries to hide things: secrets on the command line, forged integration markers, removed shell
 * hooks. Also the SSH client address reaches the metadata.
 */
class TamperResistanceTest {
    static final String PROMPT = "tt[#$] ";
    static final String PASSWORD = "Sup3rSecretValue";

    @TempDir
    static Path home;
    static Path record;
    static String screen;
    static List<Event> events;

    @BeforeAll
    static void recordAnEvasiveSession() throws Exception {
        RecordFixture.writeFile(home.resolve(".bashrc"), "PS1='tt\\$ '\n");
        record = home.resolve("evasive.tta");
        Map<String, String> env = new HashMap<>(RecordFixture.environment(home, "/bin/bash"));
        env.put("SSH_CONNECTION", "203.0.113.7 50022 192.0.2.1 22");
        try (TerminalSession t = TerminalSession.start(List.of("record", "-o", record.toString(), "--", "bash"),
                env, new WindowSize(80, 24))) {
            int at = t.awaitOutput(PROMPT);
            at = t.runLine(at, PROMPT, "echo --password=" + PASSWORD);
            // A forged marker: the right syntax, the wrong nonce.
            at = t.runLine(at, PROMPT, "printf '\\033]133;C;ttyaudit=00000000000000000000000000000000;cmd=forged\\007visible\\n'");
            // History switched off: the hooks cannot name the command, the screen does.
            at = t.runLine(at, PROMPT, "set +o history");
            at = t.runLine(at, PROMPT, "echo hidden-$((2+3)); false");
            at = t.runLine(at, PROMPT, "set -o history");
            // Remove the hooks, then run a command the shell no longer reports.
            at = t.runLine(at, PROMPT, "unset PROMPT_COMMAND; trap - DEBUG; PS0=");
            at = t.runLine(at, PROMPT, "echo after-unhook");
            t.type("exit\r");
            t.awaitExit();
            screen = t.output();
        }
        events = RecordFixture.events(record);
    }

    @Test
    void secretOnTheCommandLineIsMaskedInCommandsInputAndEcho() throws Exception {
        assertThat(RecordFixture.allEventText(events)).doesNotContain(PASSWORD);
        assertThat(RecordFixture.commandsJson(record).toString()).doesNotContain(PASSWORD)
                .contains("--password=[MASKED:");
        StringBuilder typed = new StringBuilder();
        events.stream().filter(e -> e instanceof InputEvent)
                .forEach(e -> typed.append(new String(((InputEvent) e).data(), StandardCharsets.UTF_8)));
        assertThat(typed.toString()).contains("echo --password=" + "*".repeat(PASSWORD.length()));
    }

    @Test
    void forgedMarkerIsFlaggedAndHiddenNotTrusted() throws Exception {
        assertThat(events).anyMatch(e -> e instanceof MarkerEvent m && m.name().equals("bad-nonce"));
        assertThat(RecordFixture.commandsJson(record).toString()).doesNotContain("\"forged\"");
        assertThat(screen).contains("visible").doesNotContain("\u001b]133;C;ttyaudit=0000");
    }

    @Test
    void removedHooksAreRecordedAndTheScreenTakesOver() throws Exception {
        assertThat(events).anyMatch(e -> e instanceof MarkerEvent m && m.name().equals("integration-lost"));
        JsonNode after = null;
        for (JsonNode c : RecordFixture.commandsJson(record)) {
            if (c.get("command").asText().equals("echo after-unhook")) {
                after = c;
            }
        }
        assertThat(after).as("commands: " + RecordFixture.commandsJson(record)).isNotNull();
        assertThat(after.get("source").asText()).isEqualTo("screen");
        assertThat(after.get("cwd").asText()).isEqualTo(System.getProperty("user.dir"));
    }

    @Test
    void commandHiddenFromHistoryIsNamedByTheScreenWithTheShellsExitCode() throws Exception {
        JsonNode hidden = null;
        for (JsonNode c : RecordFixture.commandsJson(record)) {
            if (c.get("command").asText().equals("echo hidden-$((2+3)); false")) {
                hidden = c;
            }
        }
        assertThat(hidden).as("commands: " + RecordFixture.commandsJson(record)).isNotNull();
        assertThat(hidden.get("source").asText()).isEqualTo("screen");
        assertThat(hidden.get("exit_code").asInt()).isEqualTo(1);
        assertThat(screen).contains("hidden-5");
        // Two hidden commands in a row: each is named by its own Enter.
        assertThat(RecordFixture.commandsJson(record).toString()).contains("\"set -o history\"");
    }

    @Test
    void sshClientAddressIsInTheMetadata() throws Exception {
        RecordFixture.CliResult info = RecordFixture.cli("info", record.toString(), "--json");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(info.out())
                .get("client_address").asText()).isEqualTo("203.0.113.7");
    }
}
