package org.ttyaudit.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    private static final List<String> COMMANDS = List.of("record", "shell", "server", "enroll", "upload",
            "enrollment-token", "login", "logout", "sessions", "search", "commands", "files", "play", "export",
            "import",
            "verify",
            "info", "help");

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void helpListsEveryCommandAlthoughARunRegistersOnlyTheOneItNames() {
        String[] top = run("--help");
        assertThat(top[0]).isEqualTo("0");
        for (String c : COMMANDS) {
            assertThat(top[1]).containsPattern("(?m)^  " + c + " ");
        }
        String[] help = run("help", "verify");
        assertThat(help[1]).contains("Usage: ttyaudit verify");
        String[] record = run("record", "--help");
        assertThat(record[1]).contains("Usage: ttyaudit record");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        String[] r = run("recrd");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("Unmatched argument at index 0: 'recrd'");
    }
}
