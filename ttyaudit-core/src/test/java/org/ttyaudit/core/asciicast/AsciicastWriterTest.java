package org.ttyaudit.core.asciicast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttyaudit.core.asciicast.TestSessions.endAfterMicros;
import static org.ttyaudit.core.asciicast.TestSessions.export;
import static org.ttyaudit.core.asciicast.TestSessions.utf8;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.model.ResizeEvent;

class AsciicastWriterTest {

    private static final List<Event> SESSION = List.of(
            new OutputEvent(250_000, utf8("$ ")),
            new InputEvent(1_000_000, utf8("ls\r")),
            new CommandStartEvent(1_000_100, 1, "ls -la", "/home/alice", CommandSource.SHELL_INTEGRATION),
            new ExecEvent(1_000_200, 42, 41, List.of("ls", "-la"), "/home/alice"),
            new OutputEvent(1_500_000, utf8("\u001b[1mfile\u001b[0m\r\n")),
            new CommandEndEvent(1_600_000, 1, 0),
            new ResizeEvent(2_000_000, 100, 30),
            new RedactedInputEvent(3_000_000, 9),
            new MarkerEvent(4_000_000, "integration-lost", ""),
            new OutputEvent(5_123_456, utf8("bye")));

    @Test
    void v2WritesHeaderAndAbsoluteTimesWithoutInputByDefault() throws Exception {
        String cast = export(AsciicastFormat.V2, AsciicastOptions.defaults(), SESSION, endAfterMicros(6_000_000, 3));
        assertThat(cast.split("\n", -1)).containsExactly(
                "{\"version\":2,\"width\":80,\"height\":24,\"timestamp\":1741064767,\"command\":\"/bin/bash -l\","
                        + "\"title\":\"alice@db1 (session 0190b5c8-1234-7abc-8def-0123456789ab)\","
                        + "\"env\":{\"TERM\":\"xterm-256color\"}}",
                "[0.250000,\"o\",\"$ \"]",
                "[1.000100,\"m\",\"ls -la\"]",
                "[1.500000,\"o\",\"\\u001B[1mfile\\u001B[0m\\r\\n\"]",
                "[2.000000,\"r\",\"100x30\"]",
                "[4.000000,\"m\",\"[integration-lost]\"]",
                "[5.123456,\"o\",\"bye\"]",
                "");
    }

    @Test
    void v3WritesTermObjectIntervalsInputRedactionMarkerAndExit() throws Exception {
        String cast = export(AsciicastFormat.V3, AsciicastOptions.defaults().withInput(true), SESSION,
                endAfterMicros(6_000_000, 3));
        assertThat(cast.split("\n", -1)).containsExactly(
                "{\"version\":3,\"term\":{\"cols\":80,\"rows\":24,\"type\":\"xterm-256color\"},"
                        + "\"timestamp\":1741064767,\"command\":\"/bin/bash -l\","
                        + "\"title\":\"alice@db1 (session 0190b5c8-1234-7abc-8def-0123456789ab)\"}",
                "[0.250000,\"o\",\"$ \"]",
                "[0.750000,\"i\",\"ls\\r\"]",
                "[0.000100,\"m\",\"ls -la\"]",
                "[0.499900,\"o\",\"\\u001B[1mfile\\u001B[0m\\r\\n\"]",
                "[0.500000,\"r\",\"100x30\"]",
                "[1.000000,\"m\",\"input redacted\"]",
                "[1.000000,\"m\",\"[integration-lost]\"]",
                "[1.123456,\"o\",\"bye\"]",
                "[0.876544,\"x\",\"3\"]",
                "");
    }

    @Test
    void redactedInputNeverRevealsItsLength() throws Exception {
        String cast = export(AsciicastFormat.V2, AsciicastOptions.defaults().withInput(true),
                List.of(new RedactedInputEvent(1, 13)), null);
        assertThat(cast).contains("input redacted").doesNotContain("13");
    }

    @Test
    void withoutMarkersCommandsAndRecorderMarkersAreLeftOut() throws Exception {
        String cast = export(AsciicastFormat.V2, new AsciicastOptions(false, false), SESSION, null);
        assertThat(cast).doesNotContain("\"m\"");
    }

    @Test
    void characterSplitAcrossOutputEventsIsWrittenWholeInTheLaterEvent() throws Exception {
        byte[] euro = utf8("€"); // E2 82 AC
        List<Event> events = List.of(
                new OutputEvent(1_000_000, new byte[] {'a', euro[0]}),
                new OutputEvent(2_000_000, new byte[] {euro[1]}),
                new OutputEvent(3_000_000, new byte[] {euro[2], 'b'}));
        String cast = export(AsciicastFormat.V2, AsciicastOptions.defaults(), events, null);
        assertThat(cast.lines().skip(1)).containsExactly(
                "[1.000000,\"o\",\"a\"]",
                "[3.000000,\"o\",\"€b\"]");
    }

    @Test
    void inputAndOutputCarryTheirOwnPartialCharacters() throws Exception {
        byte[] e = utf8("é"); // C3 A9
        List<Event> events = List.of(
                new OutputEvent(1, new byte[] {e[0]}),
                new InputEvent(2, new byte[] {e[0]}),
                new OutputEvent(3, new byte[] {e[1]}),
                new InputEvent(4, new byte[] {e[1]}));
        String cast = export(AsciicastFormat.V2, AsciicastOptions.defaults().withInput(true), events, null);
        assertThat(cast.lines().skip(1)).containsExactly(
                "[0.000003,\"o\",\"é\"]",
                "[0.000004,\"i\",\"é\"]");
    }

    @Test
    void invalidBytesBecomeReplacementCharactersAndAnIncompleteEndIsFlushed() throws Exception {
        List<Event> events = List.of(
                new OutputEvent(1_000_000, new byte[] {'x', (byte) 0xFF, 'y'}),
                new OutputEvent(2_000_000, new byte[] {'z', (byte) 0xF0, (byte) 0x9F}));
        String cast = export(AsciicastFormat.V3, AsciicastOptions.defaults(), events, endAfterMicros(2_500_000, 0));
        assertThat(cast.lines().skip(1)).containsExactly(
                "[1.000000,\"o\",\"x\uFFFDy\"]",
                "[1.000000,\"o\",\"z\"]",
                "[0.000000,\"o\",\"\uFFFD\"]",
                "[0.500000,\"x\",\"0\"]");
    }

    @Test
    void everyControlCharacterIsEscapedSoEachEventStaysOnOneLine() throws Exception {
        byte[] all = new byte[32];
        for (int i = 0; i < 32; i++) {
            all[i] = (byte) i;
        }
        String cast = export(AsciicastFormat.V2, AsciicastOptions.defaults(), List.of(new OutputEvent(0, all)), null);
        String line = cast.lines().skip(1).findFirst().orElseThrow();
        assertThat(line.chars().filter(c -> c < 0x20)).isEmpty();
        assertThat(TestSessions.read(cast).events().get(0).data()).isEqualTo(new String(all,
                java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void timeThatGoesBackwardsIsClampedSoTheFileStaysValid() throws Exception {
        // Events must not go back in time; a damaged stream must still export to something asciinema plays.
        List<Event> events = List.of(new OutputEvent(2_000_000, utf8("a")), new OutputEvent(1_000_000, utf8("b")));
        assertThat(export(AsciicastFormat.V2, AsciicastOptions.defaults(), events, null).lines().skip(1))
                .containsExactly("[2.000000,\"o\",\"a\"]", "[2.000000,\"o\",\"b\"]");
        assertThat(export(AsciicastFormat.V3, AsciicastOptions.defaults(), events, null).lines().skip(1))
                .containsExactly("[2.000000,\"o\",\"a\"]", "[0.000000,\"o\",\"b\"]");
    }

    @Test
    void shellTagBecomesTheShellVariable() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsciicastWriter.export(TestSessions.header(Map.of("shell", "/bin/zsh")), List.of(), null, out,
                AsciicastFormat.V3, AsciicastOptions.defaults());
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("\"env\":{\"SHELL\":\"/bin/zsh\"}");
    }

    @Test
    void commandArgumentsAreQuotedLikeAShellWould() {
        assertThat(AsciicastWriter.shellJoin(List.of("sh", "-c", "echo 'hi' there", "a=b")))
                .isEqualTo("sh -c 'echo '\\''hi'\\'' there' a=b");
    }

    @Test
    void loneSurrogatesInCommandLinesDoNotBreakTheExport() throws Exception {
        String cast = export(AsciicastFormat.V2, AsciicastOptions.defaults(),
                List.of(new CommandStartEvent(0, 1, "echo \uD800!", null, CommandSource.SCREEN)), null);
        assertThat(cast).contains("[0.000000,\"m\",\"echo \uFFFD!\"]");
    }

    @Test
    void largeOutputEventIsWrittenInOnePiece() throws Exception {
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 'x');
        String cast = export(AsciicastFormat.V2, AsciicastOptions.defaults(), List.of(new OutputEvent(0, big)), null);
        assertThat(TestSessions.read(cast).events().get(0).data()).hasSize(100_000);
    }

    @Test
    void callsOutOfOrderAreRefused() throws Exception {
        AsciicastWriter writer = new AsciicastWriter(new ByteArrayOutputStream(), AsciicastFormat.V2,
                AsciicastOptions.defaults());
        assertThatThrownBy(() -> writer.writeEvent(new OutputEvent(0, new byte[0])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("writeHeader");
        writer.writeHeader(TestSessions.header());
        writer.finish(null);
        assertThatThrownBy(() -> writer.writeEvent(new OutputEvent(0, new byte[0])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("finished");
    }

    @Test
    void writerAndOutputStreamTargetsProduceTheSameText() throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        try (AsciicastWriter w = new AsciicastWriter(text, AsciicastFormat.V3, AsciicastOptions.defaults())) {
            w.writeHeader(TestSessions.header());
            for (Event e : SESSION) {
                w.writeEvent(e);
            }
            w.finish(endAfterMicros(6_000_000, 0));
        }
        assertThat(text.toString()).isEqualTo(export(AsciicastFormat.V3, AsciicastOptions.defaults(), SESSION,
                endAfterMicros(6_000_000, 0)));
    }
}
