package org.ttyaudit.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.ResizeEvent;

class AsciicastSourceTest {
    private static final Instant MTIME = Instant.parse("2026-01-02T03:04:05Z");

    static AsciicastSource source(String text) throws IOException {
        return new AsciicastSource("s.cast", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), MTIME);
    }

    @Test
    void v2MapsHeaderAndEvents() throws Exception {
        Drained d = Drained.of(source("""
                {"version": 2, "width": 100, "height": 30, "timestamp": 1700000000, "command": "bash -l", "title": "demo", "env": {"TERM": "xterm-256color", "SHELL": "/bin/zsh", "USER": "alice"}}
                [0.5, "o", "h\\u00e9llo\\r\\n"]
                [0.75, "i", "ls\\r"]
                [1.0, "r", "120x40"]
                [1.5, "m", "chapter 1"]
                [1.6, "q", "unknown"]
                [2.0, "o", "bye"]
                """));
        SourceMetadata m = d.metadata();
        assertThat(m.format()).isEqualTo("asciicast-v2");
        assertThat(m.user()).isEqualTo("alice");
        assertThat(m.host()).isNull();
        assertThat(m.term()).isEqualTo("xterm-256color");
        assertThat(m.cols()).isEqualTo(100);
        assertThat(m.rows()).isEqualTo(30);
        assertThat(m.startedAt()).isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(m.command()).containsExactly("bash -l");
        assertThat(m.tags()).containsEntry("title", "demo").containsEntry("shell", "/bin/zsh")
                .doesNotContainKey("start_estimated");
        assertThat(d.events()).extracting(e -> e.kind() + "@" + e.offsetMicros()).containsExactly("output@500000",
                "input@750000", "resize@1000000", "marker@1500000", "output@2000000");
        assertThat(d.events().get(2)).isEqualTo(new ResizeEvent(1_000_000, 120, 40));
        assertThat(d.events().get(3)).isEqualTo(new MarkerEvent(1_500_000, AsciicastSource.MARKER, "chapter 1"));
        assertThat(d.output()).isEqualTo("héllo\r\nbye");
        assertThat(d.input()).isEqualTo("ls\r");
        assertThat(d.end().exitStatus()).isNull();
        assertThat(d.end().durationMicros()).isEqualTo(2_000_000);
        assertThat(d.end().notes()).containsExactly(
                "left out 1 event with the code \"q\", which ttyaudit does not know");
    }

    @Test
    void v3SumsIntervalsAndTakesTheExitStatus() throws Exception {
        Drained d = Drained.of(source("""
                {"version": 3, "term": {"cols": 90, "rows": 20, "type": "xterm"}, "timestamp": 1700000000}
                # a comment
                [0.25, "o", "one "]
                [0.25, "o", "two"]
                [0.5, "r", "91x21"]
                [0.125, "x", "3"]
                """));
        assertThat(d.metadata().format()).isEqualTo("asciicast-v3");
        assertThat(d.metadata().cols()).isEqualTo(90);
        assertThat(d.metadata().term()).isEqualTo("xterm");
        assertThat(d.events()).extracting(e -> e.offsetMicros()).containsExactly(250_000L, 500_000L, 1_000_000L);
        assertThat(d.output()).isEqualTo("one two");
        assertThat(d.end().exitStatus()).isEqualTo(3);
        assertThat(d.end().durationMicros()).isEqualTo(1_125_000);
    }

    @Test
    void withoutATimestampTheFileTimeIsTheStartAndTheTagSaysSo() throws Exception {
        Drained d = Drained.of(source("{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.1, \"o\", \"x\"]\n"));
        assertThat(d.metadata().startedAt()).isEqualTo(MTIME);
        assertThat(d.metadata().tags()).containsEntry("start_estimated", "file-mtime");
        assertThat(d.metadata().command()).isEmpty();
    }

    @Test
    void aCastRecordedWithoutATerminalHasNoSizeAnd80x24IsAssumed() throws Exception {
        // What asciinema 2.2 writes when its terminal has no size (asciinema rec under script(1) without a tty).
        Drained d = Drained.of(source("{\"version\": 2, \"width\": 0, \"height\": 0, \"timestamp\": 1796589700, "
                + "\"env\": {\"SHELL\": \"/bin/bash\", \"TERM\": \"xterm\"}}\n[0.013988, \"o\", \"hi\\r\\n\"]\n"));
        assertThat(d.metadata().cols()).isEqualTo(80);
        assertThat(d.metadata().rows()).isEqualTo(24);
        assertThat(d.end().notes()).containsExactly(
                "the cast has no terminal size (0x0: recorded without a terminal); assumed 80x24");
        assertThatThrownBy(() -> source("{\"version\": 2, \"width\": 0, \"height\": 24}"))
                .hasMessage("s.cast: line 1: header needs \"width\" as an integer from 1 to 65535, got 0");
    }

    @Test
    void badInputNamesTheFileAndLine() {
        assertThatThrownBy(() -> Drained.of(source("{\"version\": 2, \"width\": 80, \"height\": 24}\n"
                + "[0.1, \"o\", \"x\"]\n[0.05, \"o\", \"y\"]\n")))
                .isInstanceOf(ImportFormatException.class)
                .hasMessageStartingWith("s.cast: line 3: event time 0.050000 is before");
        assertThatThrownBy(() -> source("{\"version\": 1}"))
                .isInstanceOf(ImportFormatException.class)
                .hasMessage("s.cast: line 1: unsupported asciicast version 1 (expected 2 or 3)");
        assertThatThrownBy(() -> source("{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 9000000000000000000}"))
                .hasMessage("s.cast: line 1: \"timestamp\" 9000000000000000000 is not a time from 1970 to 9999");
        assertThatThrownBy(() -> Drained.of(source("{\"version\": 3, \"term\": {\"cols\": 80, \"rows\": 24}}\n"
                + "[0.1, \"x\", \"99999999999\"]\n")))
                .isInstanceOf(ImportFormatException.class);
    }

    @Test
    void theEndIsKnownOnlyAfterTheLastEvent() throws Exception {
        try (AsciicastSource s = source("{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.1, \"o\", \"x\"]\n")) {
            assertThatThrownBy(s::end).isInstanceOf(IllegalStateException.class);
            assertThat(List.of(s.next())).hasSize(1);
        }
    }
}
