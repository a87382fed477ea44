package org.ttyaudit.cli.remote;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SafeTextTest {
    @Test
    void controlCharactersCannotReachTheTerminal() {
        String hostile = "ls\u001b]0;pwned\u0007\r\u001b[2Ktotal 0\n\u009b31m\u007f\\";
        String safe = SafeText.of(hostile);
        assertThat(safe).isEqualTo("ls\\e]0;pwned\\x07\\r\\e[2Ktotal 0\\n\\x9b31m\\x7f\\\\");
        assertThat(safe.chars()).allMatch(c -> c >= 0x20 && c != 0x7f && (c < 0x80 || c >= 0xa0));
        assertThat(SafeText.of("plain café ✓")).isEqualTo("plain café ✓");
        assertThat(SafeText.of(null)).isEqualTo("-");
    }

    @Test
    void matchesAreHighlightedOnATerminalAndKeptAsMarkersElsewhere() {
        String snippet = "…cat /etc/[[passwd]] and [[passwd]]-\u001b[31m";
        assertThat(SafeText.snippet(snippet, false)).isEqualTo("…cat /etc/[[passwd]] and [[passwd]]-\\e[31m");
        assertThat(SafeText.snippet(snippet, true)).isEqualTo(
                "…cat /etc/\u001b[1;7mpasswd\u001b[0m and \u001b[1;7mpasswd\u001b[0m-\\e[31m");
    }
}
