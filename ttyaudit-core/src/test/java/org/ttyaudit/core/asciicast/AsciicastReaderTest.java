package org.ttyaudit.core.asciicast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AsciicastReaderTest {

    private static final String V2_HEADER = "{\"version\": 2, \"width\": 80, \"height\": 24}";
    private static final String V3_HEADER = "{\"version\": 3, \"term\": {\"cols\": 100, \"rows\": 30}}";

    @Test
    void readsTheSpecsV2Example() throws Exception {
        String cast = """
                {"version": 2, "width": 80, "height": 24, "timestamp": 1504467315, "title": "Demo", "env": {"TERM": "xterm-256color", "SHELL": "/bin/zsh"}}
                [0.248848, "o", "\\u001b[1;31mHello \\u001b[32mWorld!\\u001b[0m\\n"]
                [1.001376, "o", "That was ok\\rThis is better."]
                [1.500000, "m", ""]
                [2.143733, "o", "Now... "]
                [4.050000, "r", "80x24"]
                [6.541828, "o", "Bye!"]
                """;
        CastFile file = TestSessions.read(cast);
        assertThat(file.header()).isEqualTo(new CastHeader(AsciicastFormat.V2, 80, 24, 1504467315L, null, "Demo",
                "xterm-256color", null, java.util.Map.of("TERM", "xterm-256color", "SHELL", "/bin/zsh")));
        assertThat(file.events()).containsExactly(
                new CastEvent(248_848, "o", "\u001b[1;31mHello \u001b[32mWorld!\u001b[0m\n"),
                new CastEvent(1_001_376, "o", "That was ok\rThis is better."),
                new CastEvent(1_500_000, "m", ""),
                new CastEvent(2_143_733, "o", "Now... "),
                new CastEvent(4_050_000, "r", "80x24"),
                new CastEvent(6_541_828, "o", "Bye!"));
    }

    @Test
    void readsTheSpecsV3ExampleSummingIntervalsAndSkippingComments() throws Exception {
        String cast = """
                {"version": 3, "term": {"cols": 80, "rows": 24, "type": "xterm-256color"}, "timestamp": 1504467315, "title": "Demo", "env": {"SHELL": "/bin/zsh"}}
                # event stream follows the header
                [0.248, "o", "\\u001b[1;31mHello \\u001b[32mWorld!\\u001b[0m\\n"]
                [1.001, "o", "That was ok\\rThis is better."]
                [3.500, "m", ""]
                [0.143, "o", "Now... "]
                # terminal window resized to 90 cols and 30 rows
                [2.050, "r", "90x30"]
                [1.541, "o", "Bye!"]
                [0.887, "x", "0"]
                """;
        CastFile file = TestSessions.read(cast);
        assertThat(file.header().format()).isEqualTo(AsciicastFormat.V3);
        assertThat(file.header().termType()).isEqualTo("xterm-256color");
        assertThat(file.events()).extracting(CastEvent::timeMicros)
                .containsExactly(248_000L, 1_249_000L, 4_749_000L, 4_892_000L, 6_942_000L, 8_483_000L, 9_370_000L);
        assertThat(file.events().get(6)).isEqualTo(new CastEvent(9_370_000, "x", "0"));
    }

    @Test
    void unknownEventCodesPassThroughWithTheirJsonData() throws Exception {
        CastFile file = TestSessions.read(V2_HEADER + "\n[1, \"z\", {\"a\": [1, 2]}]\n[2, \"y\", \"text\"]\n");
        assertThat(file.events()).containsExactly(
                new CastEvent(1_000_000, "z", "{\"a\":[1,2]}"),
                new CastEvent(2_000_000, "y", "text"));
    }

    @Test
    void blankLinesAndWindowsLineEndsAreAccepted() throws Exception {
        CastFile file = TestSessions.read(V2_HEADER + "\r\n\r\n[1, \"o\", \"a\"]\r\n\n");
        assertThat(file.events()).containsExactly(new CastEvent(1_000_000, "o", "a"));
    }

    @Test
    void timesKeepMicrosecondsExactly() throws Exception {
        CastFile file = TestSessions.read(V2_HEADER + "\n[0.000001, \"o\", \"a\"]\n[1e2, \"o\", \"b\"]\n"
                + "[123456.7891235, \"o\", \"c\"]\n");
        assertThat(file.events()).extracting(CastEvent::timeMicros)
                .containsExactly(1L, 100_000_000L, 123_456_789_124L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "empty file|``|line 1: empty file: expected an asciicast header",
        "not json|`{\"version\": 2,`|line 1: header is not valid JSON",
        "array header|`[1, 2]`|line 1: header must be a JSON object",
        "no version|`{\"width\": 80}`|line 1: header has no integer \"version\"",
        "v1 file|`{\"version\": 1, \"width\": 80, \"height\": 24, \"stdout\": []}`|line 1: unsupported asciicast version 1 (expected 2 or 3)",
        "v2 no width|`{\"version\": 2, \"height\": 24}`|line 1: header needs \"width\" as an integer from 1 to 65535, got nothing",
        "v2 zero height|`{\"version\": 2, \"width\": 80, \"height\": 0}`|line 1: header needs \"height\" as an integer from 1 to 65535, got 0",
        "v3 no term|`{\"version\": 3, \"width\": 80, \"height\": 24}`|line 1: v3 header has no \"term\" object",
        "v3 bad cols|`{\"version\": 3, \"term\": {\"cols\": \"80\", \"rows\": 24}}`|line 1: header needs \"term.cols\" as an integer from 1 to 65535, got \"80\"",
        "comment first|`# hi`|line 1: the first line must be the header, not a comment",
        "bad title|`{\"version\": 2, \"width\": 80, \"height\": 24, \"title\": 5}`|line 1: \"title\" must be a string, got 5",
        "bad idle|`{\"version\": 2, \"width\": 80, \"height\": 24, \"idle_time_limit\": -1}`|line 1: \"idle_time_limit\" must be a positive number, got -1",
    })
    void badHeadersAreNamed(String name, String cast, String message) {
        assertThatThrownBy(() -> TestSessions.read(cast == null ? "" : cast))
                .isInstanceOf(AsciicastFormatException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "object event|`{\"t\": 1}`|line 3: event must be a JSON array [time, code, data]",
        "string time|`[\"1\", \"o\", \"x\"]`|line 3: event time must be a number, got \"1\"",
        "negative time|`[-1, \"o\", \"x\"]`|line 3: event time must be between 0 and 1000000000000 seconds, got -1",
        "huge time|`[1e400, \"o\", \"x\"]`|line 3: event time must be between 0 and 1000000000000 seconds",
        "absurd exponent|`[3e99999999999999999999, \"o\", \"x\"]`|line 3: event time must be between 0 and 1000000000000 seconds",
        "tiny exponent|`[3e-99999999999999999999, \"o\", \"x\"]`|line 3: event time 0.000000 is before the previous event's 1.000000",
        "no code|`[1]`|line 3: event code must be a non-empty string",
        "empty code|`[1, \"\", \"x\"]`|line 3: event code must be a non-empty string",
        "no data|`[1, \"o\"]`|line 3: event has no data: expected [time, code, data]",
        "number data|`[1, \"o\", 5]`|line 3: data of a \"o\" event must be a string, got 5",
        "four elements|`[1, \"o\", \"x\", 4]`|line 3: event has more than 3 elements",
        "trailing text|`[1, \"o\", \"x\"] [2]`|line 3: unexpected text after the event array",
        "broken json|`[1, \"o\", \"x`|line 3: invalid JSON",
        "bad resize|`[1, \"r\", \"80-24\"]`|line 3: resize data must be COLSxROWS, got \"80-24\"",
        "zero resize|`[1, \"r\", \"0x24\"]`|line 3: resize data must be COLSxROWS, got \"0x24\"",
        "bad exit|`[1, \"x\", \"ok\"]`|line 3: exit data must be an integer status, got \"ok\"",
        "backwards|`[0.5, \"o\", \"x\"]`|line 3: event time 0.500000 is before the previous event's 1.000000",
    })
    void badEventsAreNamedWithTheirLine(String name, String event, String message) {
        String cast = V2_HEADER + "\n[1.0, \"o\", \"first\"]\n" + event + "\n";
        assertThatThrownBy(() -> TestSessions.read(cast))
                .isInstanceOf(AsciicastFormatException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(((AsciicastFormatException) e).lineNumber()).isEqualTo(3))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void commentLinesAreAnErrorInV2() {
        assertThatThrownBy(() -> TestSessions.read(V2_HEADER + "\n# note\n"))
                .isInstanceOf(AsciicastFormatException.class)
                .hasMessageStartingWith("line 2: invalid JSON");
    }

    @Test
    void negativeV3IntervalIsRefused() {
        assertThatThrownBy(() -> TestSessions.read(V3_HEADER + "\n[-0.5, \"o\", \"x\"]\n"))
                .hasMessageStartingWith("line 2: event time must be between 0");
    }

    @Test
    void invalidUtf8InTheFileIsReportedWithItsLine() {
        byte[] header = (V2_HEADER + "\n[1, \"o\", \"ok\"]\n[2, \"o\", \"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bad = new byte[header.length + 4];
        System.arraycopy(header, 0, bad, 0, header.length);
        bad[header.length] = (byte) 0xFF;
        bad[header.length + 1] = '"';
        bad[header.length + 2] = ']';
        bad[header.length + 3] = '\n';
        assertThatThrownBy(() -> {
            try (AsciicastReader r = AsciicastReader.open(new ByteArrayInputStream(bad))) {
                List<CastEvent> events = new ArrayList<>();
                for (CastEvent e = r.next(); e != null; e = r.next()) {
                    events.add(e);
                }
            }
        }).isInstanceOf(AsciicastFormatException.class).hasMessage("line 3: the file is not valid UTF-8");
    }

    @Test
    void eventsStreamOneAtATime() throws Exception {
        try (AsciicastReader r = new AsciicastReader(new StringReader(V3_HEADER + "\n[1, \"o\", \"a\"]\n[1, \"o\", \"b\"]"))) {
            assertThat(r.header().cols()).isEqualTo(100);
            assertThat(r.next()).isEqualTo(new CastEvent(1_000_000, "o", "a"));
            assertThat(r.next()).isEqualTo(new CastEvent(2_000_000, "o", "b"));
            assertThat(r.next()).isNull();
            assertThat(r.next()).isNull();
        }
    }
}
