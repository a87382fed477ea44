package org.ttyaudit.recorder.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttyaudit.recorder.shell.StripperHarness.NONCE;
import static org.ttyaudit.recorder.shell.StripperHarness.bytes;
import static org.ttyaudit.recorder.shell.StripperHarness.marker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MarkerStripperTest {
    private static final String ESC = "\u001b";
    private static final String BEL = "\u0007";
    private static final String ST = ESC + "\\";

    /** name, output from the program, what the user sees, what the listener hears ("|"-separated). */
    static Stream<Arguments> table() {
        String longPayload = "x".repeat(MarkerStripper.MAX_SEQUENCE_BYTES);
        String oversized = ESC + "]133;C;ttyaudit=" + NONCE + ";cmd=" + longPayload + BEL;
        return Stream.of(
                row("plain text passes", "hello\r\nworld", "hello\r\nworld", ""),
                row("prompt and input start", "a" + marker('A', "") + "$ " + marker('B', "") + "b",
                        "a$ b", "A|B"),
                row("command start with line and cwd", marker('C', ";cmd=ls -l;cwd=/tmp") + "out",
                        "out", "C cmd=[ls -l] cwd=[/tmp]"),
                row("command start without a line", marker('C', ";cwd=/home/u"), "", "C cmd=null cwd=[/home/u]"),
                row("command finished", marker('D', ";exit=127"), "", "D 127"),
                row("ST terminator", ESC + "]133;D;ttyaudit=" + NONCE + ";exit=0" + ST + "x", "x", "D 0"),
                row("escaped separators and controls",
                        marker('C', ";cmd=a\\x3bb\\x5cc\\x0ad\\x07e\\x1bf\\\\g;cwd=/"), "",
                        "C cmd=[a;b\\c\nd" + BEL + "e" + ESC + "f\\g] cwd=[/]"),
                row("UTF-8 payload", marker('C', ";cmd=echo \u00c3\u00bc;cwd=/"), "", "C cmd=[echo \u00fc] cwd=[/]"),
                row("invalid UTF-8 payload becomes replacement characters",
                        marker('C', ";cmd=echo \u00ff\u00c3;cwd=/\u00fe"), "",
                        "C cmd=[echo \ufffd\ufffd] cwd=[/\ufffd]"),
                row("unknown keys are ignored", marker('C', ";x=1;cwd=/;cmd=id;y"), "", "C cmd=[id] cwd=[/]"),
                row("wrong nonce is stripped and flagged", "a" + marker('C', "f00", ";cmd=rm -rf /;cwd=/") + "b",
                        "ab", "forged: marker C with a wrong nonce"),
                row("nonce prefix is not enough", marker('A', NONCE.substring(0, 31), ""), "",
                        "forged: marker A with a wrong nonce"),
                row("longer nonce is wrong", marker('A', NONCE + "0", ""), "", "forged: marker A with a wrong nonce"),
                row("empty nonce is wrong", marker('B', "", ""), "", "forged: marker B with a wrong nonce"),
                row("OSC 133 of other tools passes", ESC + "]133;A" + BEL + ESC + "]133;D;0" + ST,
                        ESC + "]133;A" + BEL + ESC + "]133;D;0" + ST, ""),
                row("unknown marker kind passes", ESC + "]133;E;ttyaudit=" + NONCE + BEL,
                        ESC + "]133;E;ttyaudit=" + NONCE + BEL, ""),
                row("window title and colours pass", ESC + "]0;title" + BEL + ESC + "[31mred" + ESC + "[0m",
                        ESC + "]0;title" + BEL + ESC + "[31mred" + ESC + "[0m", ""),
                row("OSC 1330 passes", ESC + "]1330;A" + BEL, ESC + "]1330;A" + BEL, ""),
                row("lone ESC at the end passes", "x" + ESC, "x" + ESC, ""),
                row("unterminated marker passes through and is flagged",
                        "x" + ESC + "]133;A;ttyaudit=" + NONCE, "x" + ESC + "]133;A;ttyaudit=" + NONCE,
                        "forged: marker A not terminated at the end of the output"),
                row("CAN cancels: text after it is visible", ESC + "]133;A;ttyaudit=bad\u0018secret",
                        ESC + "]133;A;ttyaudit=bad\u0018secret", "forged: marker A cancelled by a control character"),
                row("ESC interrupts: the next sequence survives",
                        ESC + "]133;A;ttyaudit=bad" + ESC + "[31mred",
                        ESC + "]133;A;ttyaudit=bad" + ESC + "[31mred",
                        "forged: marker A interrupted by another escape sequence"),
                row("interrupted by a real marker", ESC + "]133;A;ttyaudit=bad" + marker('B', ""),
                        ESC + "]133;A;ttyaudit=bad", "forged: marker A interrupted by another escape sequence|B"),
                row("oversized marker passes through", oversized, oversized,
                        "forged: marker C longer than 65536 bytes"),
                row("malformed escape gives no command line",
                        marker('C', ";cmd=a\\q;cwd=/"), "",
                        "forged: marker C with a malformed value: bad escape at byte 1 (expected \\xHH)"
                                + "|C cmd=null cwd=[/]"),
                row("finished without exit code", marker('D', ""), "", "forged: marker D without a valid exit=N"),
                row("finished with junk exit code", marker('D', ";exit=1x"), "",
                        "forged: marker D without a valid exit=N"),
                row("ESC ] at the very start of a marker twice", ESC + ESC + "]133;B;ttyaudit=" + NONCE + BEL + "$",
                        ESC + "$", "B"));
    }

    private static Arguments row(String name, String input, String visible, String events) {
        return Arguments.of(name, input, visible, events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void stripsAndReportsInOneCall(String name, String input, String visible, String events) {
        assertThat(StripperHarness.run(input)).containsExactly(visible, events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void sameResultWhenSplitAtEveryByteBoundary(String name, String input, String visible, String events) {
        if (input.length() > 1000) {
            return; // the oversized row: covered by the byte-by-byte variant below
        }
        for (int cut = 0; cut <= input.length(); cut++) {
            assertThat(StripperHarness.run(input.substring(0, cut), input.substring(cut)))
                    .as("cut at %d", cut).containsExactly(visible, events);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void sameResultWhenFedByteByByte(String name, String input, String visible, String events) {
        String[] single = input.chars().mapToObj(c -> String.valueOf((char) c)).toArray(String[]::new);
        assertThat(StripperHarness.run(single)).containsExactly(visible, events);
    }

    @Test
    void markersSplitAcrossThreeCallsAtEveryPairOfBoundaries() {
        String input = "$ " + marker('A', "") + "p" + marker('B', "") + StripperHarness.cmdMarker(
                bytes("for i in 1 2\ndo echo $i; done"), bytes("/tmp")) + "1\r\n2\r\n" + marker('D', ";exit=0");
        List<String> expected = List.of("$ p1\r\n2\r\n", "A|B|C cmd=[for i in 1 2\ndo echo $i; done] cwd=[/tmp]|D 0");
        for (int a = 0; a <= input.length(); a++) {
            for (int b = a; b <= input.length(); b++) {
                assertThat(StripperHarness.run(input.substring(0, a), input.substring(a, b), input.substring(b)))
                        .as("cuts at %d and %d", a, b).containsExactly(expected.get(0), expected.get(1));
            }
        }
    }

    @Test
    void visibleBytesBeforeAMarkerAreHandedOverBeforeTheMarkerIsReported() {
        RecordingListener listener = new RecordingListener();
        MarkerStripper stripper = new MarkerStripper(bytes(NONCE), listener);
        byte[] in = bytes("last line\r\n" + marker('D', ";exit=0") + "$ " + marker('A', "") + "tail");
        byte[] out = new byte[in.length + 8];
        List<String> order = new java.util.ArrayList<>();
        int n = stripper.filter(in, 0, in.length, out, 4, (buf, off, len) -> {
            assertThat(off).isEqualTo(4);
            order.add("visible:" + new String(buf, off, len, StandardCharsets.ISO_8859_1) + " before "
                    + listener.events.size() + " markers");
        });
        assertThat(order).containsExactly("visible:last line\r\n before 0 markers", "visible:$  before 1 markers");
        assertThat(new String(out, 4, n, StandardCharsets.ISO_8859_1)).as("after the last marker").isEqualTo("tail");
        assertThat(listener.events).containsExactly("D 0", "A");
    }

    @Test
    void writesAtOffsetsAndReadsFromOffsets() {
        RecordingListener listener = new RecordingListener();
        MarkerStripper stripper = new MarkerStripper(bytes(NONCE), listener);
        byte[] in = bytes("##ab" + marker('A', "") + "cd##");
        byte[] out = new byte[in.length + 3];
        Arrays.fill(out, (byte) '.');
        int n = stripper.filter(in, 2, in.length - 4, out, 3);
        assertThat(new String(out, StandardCharsets.ISO_8859_1).substring(0, 3 + n)).isEqualTo("...abcd");
        assertThat(listener.events).containsExactly("A");
    }

    @Test
    void refusesAnOutputBufferThatMayBeTooSmall() {
        MarkerStripper stripper = new MarkerStripper(bytes(NONCE), new RecordingListener());
        byte[] head = bytes(ESC + "]133;");
        stripper.filter(head, 0, head.length, new byte[head.length], 0);
        assertThat(stripper.heldBytes()).isEqualTo(6);
        assertThatThrownBy(() -> stripper.filter(new byte[10], 0, 10, new byte[12], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("output buffer has room for 12 bytes but needs 16");
    }

    @Test
    void rejectsNoncesThatCannotBeMatched() {
        assertThatThrownBy(() -> new MarkerStripper(new byte[0], new RecordingListener()))
                .hasMessage("nonce must not be empty");
        assertThatThrownBy(() -> new MarkerStripper(bytes("a;b"), new RecordingListener()))
                .hasMessage("nonce must be printable ASCII without ';'");
    }
}
