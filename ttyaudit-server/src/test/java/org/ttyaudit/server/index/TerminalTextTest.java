package org.ttyaudit.server.index;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTextTest {

    private static String strip(String s) {
        return TerminalText.strip(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void colourAndCursorSequencesAreRemoved() {
        assertThat(strip("\u001b[01;34mdir\u001b[0m  file\r\n")).isEqualTo("dir  file\n");
        assertThat(strip("\u001b[?2004h$ ls\u001b[K")).isEqualTo("$ ls");
    }

    @Test
    void titlesAndHyperlinksAreRemovedButTheirVisibleTextStays() {
        assertThat(strip("\u001b]0;alice@web-1: ~\u0007prompt")).isEqualTo("prompt");
        assertThat(strip("\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\")).isEqualTo("link");
    }

    @Test
    void characterSetSelectionAndControlCharactersAreRemoved() {
        assertThat(strip("\u001b(Bok\u0007\b\u0000")).isEqualTo("ok");
        assertThat(strip("tab\there")).isEqualTo("tab\there");
    }

    @Test
    void utf8SurvivesAndMalformedBytesBecomeReplacementCharacters() {
        assertThat(strip("grüße ✓")).isEqualTo("grüße ✓");
        assertThat(TerminalText.strip(new byte[]{'a', (byte) 0xC3, 'b'})).isEqualTo("a\uFFFDb");
    }

    @Test
    void anEscapeCutAtTheEndOfAChunkLeavesNothingBehind() {
        assertThat(strip("text\u001b[01;3")).isEqualTo("text");
        assertThat(strip("text\u001b")).isEqualTo("text");
    }

    @Property(tries = 500)
    void neverThrowsAndNeverKeepsAnEscape(@ForAll byte[] data) {
        assertThat(TerminalText.strip(data)).doesNotContain("\u001b");
    }
}
