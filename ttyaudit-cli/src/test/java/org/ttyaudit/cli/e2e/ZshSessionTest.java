package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.recorder.pty.ExitStatus;
import org.ttyaudit.recorder.pty.WindowSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A person records a zsh session: the zsh hooks report exact commands, and the user's own hooks still run. */
class ZshSessionTest {
    static final String SECRET = "zsh-secret-9876";
    static final String PROMPT = "zz[#%] ";

    @TempDir
    static Path home;
    static Path record;
    static ExitStatus status;
    static String screen;

    @BeforeAll
    static void recordAZshSession() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/zsh")) || Files.isExecutable(Path.of("/usr/bin/zsh")),
                "zsh is not installed (CI installs it)");
        RecordFixture.writeFile(home.resolve(".zshrc"), """
                PROMPT='zz%# '
                my_precmd() { USER_PRECMD=ran }
                precmd_functions+=(my_precmd)
                alias hi='echo hi-from-alias'
                """);
        record = home.resolve("zsh.tta");
        try (TerminalSession t = TerminalSession.start(List.of("record", "-o", record.toString(), "--", "zsh"),
                RecordFixture.environment(home, "/bin/zsh"), new WindowSize(80, 24))) {
            int at = t.awaitOutput(PROMPT);
            at = t.runLine(at, PROMPT, "echo hello zsh");
            at = t.runLine(at, PROMPT, "cd /tmp");
            at = t.runLine(at, PROMPT, "pwd");
            at = t.runLine(at, PROMPT, "false");
            at = t.runLine(at, PROMPT, "hi");
            at = t.runLine(at, PROMPT, "echo precmd=$USER_PRECMD");
            t.type("for i in 1 2; do\r");
            t.type("echo z$i\r");
            t.type("done\r");
            at = t.awaitOutput(at, "z2\r\n(.|\\s)*" + PROMPT);
            t.type("read -s 'pw?Password: '\r");
            at = t.awaitOutput(at, "Password: ");
            TerminalSession.pause(100);
            t.type(SECRET + "\r");
            at = t.runLine(at, PROMPT, "echo ${#pw}");
            t.type("exit 5\r");
            status = t.awaitExit();
            screen = t.output();
        }
    }

    private static Map<String, JsonNode> byLine() throws Exception {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode c : RecordFixture.commandsJson(record)) {
            m.put(c.get("command").asText(), c);
        }
        return m;
    }

    @Test
    void zshCommandsAreExactWithCwdAndExitCodes() throws Exception {
        Map<String, JsonNode> c = byLine();
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(status.code()).as(screen).isEqualTo(5);
        soft.assertThat(c).containsKeys("echo hello zsh", "cd /tmp", "pwd", "false", "hi", "exit 5");
        soft.assertThat(c.keySet()).anyMatch(l -> l.startsWith("for i in 1 2; do") && l.contains("echo z$i"));
        if (c.containsKey("pwd")) {
            soft.assertThat(c.get("pwd").get("cwd").asText()).isEqualTo("/tmp");
            soft.assertThat(c.get("pwd").get("source").asText()).isEqualTo("shell-integration");
        }
        if (c.containsKey("false")) {
            soft.assertThat(c.get("false").get("exit_code").asInt()).isEqualTo(1);
        }
        soft.assertAll();
    }

    @Test
    void usersOwnHooksAndAliasesStillWork() {
        assertThat(screen).contains("hi-from-alias").contains("precmd=ran");
    }

    @Test
    void zshPasswordPromptIsRedacted() throws Exception {
        List<Event> events = RecordFixture.events(record);
        assertThat(RecordFixture.allEventText(events)).doesNotContain(SECRET);
        assertThat(events).anyMatch(e -> e instanceof RedactedInputEvent);
        assertThat(screen).contains("15");
    }
}
