package org.ttyaudit.core.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests for the emulator's control functions on a 10x4 screen. */
class TerminalScreenTest {
    private static final String E = "\u001b";

    /** Feeds the text's UTF-8 bytes into a new 10x4 screen. */
    private static TerminalScreen screenAfter(String text) {
        TerminalScreen screen = new TerminalScreen(10, 4);
        feed(screen, text);
        return screen;
    }

    private static void feed(TerminalScreen screen, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        screen.feed(b, 0, b.length);
    }

    /** The rows' text, with the blank rows at the bottom left out. */
    private static List<String> rows(TerminalScreen screen) {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < screen.rows(); r++) {
            rows.add(screen.rowText(r));
        }
        while (!rows.isEmpty() && rows.get(rows.size() - 1).isEmpty()) {
            rows.remove(rows.size() - 1);
        }
        return rows;
    }

    static Stream<Arguments> controlFunctions() {
        return Stream.of(
                // name, bytes, expected rows, cursor row, cursor col
                Arguments.of("text", "abc", List.of("abc"), 0, 3),
                Arguments.of("CR LF", "ab\r\ncd", List.of("ab", "cd"), 1, 2),
                Arguments.of("LF keeps the column", "ab\ncd", List.of("ab", "  cd"), 1, 4),
                Arguments.of("VT and FF act as LF", "a\u000bb\u000cc", List.of("a", " b", "  c"), 2, 3),
                Arguments.of("BS then overwrite", "abc\b\bX", List.of("aXc"), 0, 2),
                Arguments.of("BS stops at the left margin", "\b\bX", List.of("X"), 0, 1),
                Arguments.of("HT to the next stop", "a\tb", List.of("a       b"), 0, 9),
                Arguments.of("HT stops at the right margin", "\t\t\tX", List.of("         X"), 0, 9),
                Arguments.of("auto-wrap", "0123456789AB", List.of("0123456789", "AB"), 1, 2),
                Arguments.of("CR cancels the pending wrap", "0123456789\rX", List.of("X123456789"), 0, 1),
                Arguments.of("BS in the pending wrap", "0123456789\bX", List.of("01234567X9"), 0, 9),
                Arguments.of("CUP and CUU", E + "[3;5Hx" + E + "[2Ay", List.of("     y", "", "    x"), 0, 6),
                Arguments.of("CUD CUF CUB", E + "[2B" + E + "[5C" + E + "[2Dz", List.of("", "", "   z"), 2, 4),
                Arguments.of("CUU stops at the top", E + "[9Ax", List.of("x"), 0, 1),
                Arguments.of("CUF stops at the right", E + "[99Cx", List.of("         x"), 0, 9),
                Arguments.of("CUP without parameters is home", "abc" + E + "[Hx", List.of("xbc"), 0, 1),
                Arguments.of("CUP clamps to the screen", E + "[99;99Hx", List.of("", "", "", "         x"), 3, 9),
                Arguments.of("HVP", E + "[2;3fx", List.of("", "  x"), 1, 3),
                Arguments.of("CHA", "abcdef" + E + "[2Gx", List.of("axcdef"), 0, 2),
                Arguments.of("HPA", "abcdef" + E + "[3`x", List.of("abxdef"), 0, 3),
                Arguments.of("VPA", "ab" + E + "[3dx", List.of("ab", "", "  x"), 2, 3),
                Arguments.of("CNL and CPL", "ab" + E + "[2Ex" + E + "[Fy", List.of("ab", "y", "x"), 1, 1),
                Arguments.of("EL to the end", "abcdef" + E + "[3G" + E + "[K", List.of("ab"), 0, 2),
                Arguments.of("EL to the start", "abcdef" + E + "[3G" + E + "[1K", List.of("   def"), 0, 2),
                Arguments.of("EL whole line", "abcdef" + E + "[2K", List.of(), 0, 6),
                Arguments.of("ED below", "ab\r\ncd\r\nef" + E + "[2;2H" + E + "[J", List.of("ab", "c"), 1, 1),
                Arguments.of("ED above", "ab\r\ncd\r\nef" + E + "[2;1H" + E + "[1J", List.of("", " d", "ef"), 1, 0),
                Arguments.of("ED all keeps the cursor", "ab\r\ncd" + E + "[2J", List.of(), 1, 2),
                Arguments.of("ICH", "abcdef" + E + "[2G" + E + "[2@", List.of("a  bcdef"), 0, 1),
                Arguments.of("ICH pushes off the right", "0123456789" + E + "[1G" + E + "[3@",
                        List.of("   0123456"), 0, 0),
                Arguments.of("DCH", "abcdef" + E + "[2G" + E + "[2P", List.of("adef"), 0, 1),
                Arguments.of("ECH", "abcdef" + E + "[2G" + E + "[2X", List.of("a  def"), 0, 1),
                Arguments.of("IL", "a\r\nb\r\nc" + E + "[2;1H" + E + "[L", List.of("a", "", "b", "c"), 1, 0),
                Arguments.of("DL", "a\r\nb\r\nc" + E + "[1;1H" + E + "[M", List.of("b", "c"), 0, 0),
                Arguments.of("LF at the bottom scrolls", "1\r\n2\r\n3\r\n4\r\n5", List.of("2", "3", "4", "5"), 3, 1),
                Arguments.of("scroll region", "1\r\n2\r\n3\r\n4" + E + "[2;3r" + E + "[3;1H\nx",
                        List.of("1", "3", "x", "4"), 2, 1),
                Arguments.of("SU and SD", "1\r\n2\r\n3" + E + "[S" + E + "[2T", List.of("", "", "2", "3"), 2, 1),
                Arguments.of("RI at the top scrolls down", "a" + E + "[H" + E + "Mb", List.of("b", "a"), 0, 1),
                Arguments.of("IND and NEL", "a" + E + "Db" + E + "Ec", List.of("a", " b", "c"), 2, 1),
                Arguments.of("DECSC and DECRC", "ab" + E + "7" + E + "[3;3Hx" + E + "8c", List.of("abc", "", "  x"),
                        0, 3),
                Arguments.of("CSI s and u", "ab" + E + "[s" + E + "[3;3Hx" + E + "[uc", List.of("abc", "", "  x"),
                        0, 3),
                Arguments.of("SGR is ignored", E + "[1;31mred" + E + "[0m" + E + "[38:2:1:2:3m!", List.of("red!"),
                        0, 4),
                Arguments.of("OSC ends at BEL or ST", E + "]0;title\u0007A" + E + "]2;t" + E + "\\B", List.of("AB"),
                        0, 2),
                Arguments.of("DCS, APC, PM are skipped", E + "P1$r0m" + E + "\\C" + E + "_x" + E + "\\" + E + "^y"
                        + E + "\\D", List.of("CD"), 0, 2),
                Arguments.of("bracketed paste mode is ignored", E + "[?2004hX" + E + "[?2004l", List.of("X"), 0, 1),
                Arguments.of("CAN aborts a sequence", E + "[31\u0018X", List.of("X"), 0, 1),
                Arguments.of("ESC inside CSI starts over", E + "[3" + E + "[2Gx", List.of(" x"), 0, 2),
                Arguments.of("auto-wrap off", E + "[?7l0123456789AB", List.of("012345678B"), 0, 9),
                Arguments.of("insert mode", "abc" + E + "[G" + E + "[4hX" + E + "[4lY", List.of("XYbc"), 0, 2),
                Arguments.of("REP", "a" + E + "[3b", List.of("aaaa"), 0, 4),
                Arguments.of("CHT and CBT", E + "[2Ix" + E + "[Zy", List.of("        yx"), 0, 9),
                Arguments.of("TBC and HTS", E + "[3g" + E + "[3G" + E + "H\r\tx", List.of("  x"), 0, 3),
                Arguments.of("origin mode", E + "[2;3r" + E + "[?6h" + E + "[1;1Hx", List.of("", "x"), 1, 1),
                Arguments.of("DECALN", E + "#8", List.of("EEEEEEEEEE", "EEEEEEEEEE", "EEEEEEEEEE", "EEEEEEEEEE"),
                        0, 0),
                Arguments.of("RIS", "abc" + E + "c", List.of(), 0, 0),
                Arguments.of("character set designation", E + "(0q" + E + "(B", List.of("q"), 0, 1),
                Arguments.of("UTF-8", "héllo", List.of("héllo"), 0, 5),
                Arguments.of("wide characters take two cells", "日本x", List.of("日本x"), 0, 5),
                Arguments.of("emoji is wide", "\uD83D\uDE00x", List.of("\uD83D\uDE00x"), 0, 3),
                Arguments.of("combining mark takes no cell", "e\u0301x", List.of("ex"), 0, 2),
                Arguments.of("wide character wraps whole", "123456789日", List.of("123456789", "日"), 1, 2),
                Arguments.of("overwriting half a wide character erases it", "日\bx", List.of(" x"), 0, 2),
                Arguments.of("DEL is ignored", "a\u007fb", List.of("ab"), 0, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controlFunctions")
    void controlFunctionChangesScreenAsXtermDoes(String name, String input, List<String> expectedRows,
                                                 int cursorRow, int cursorCol) {
        TerminalScreen screen = screenAfter(input);
        assertThat(rows(screen)).as(name).isEqualTo(expectedRows);
        assertThat(screen.cursorRow()).as(name + ": cursor row").isEqualTo(cursorRow);
        assertThat(screen.cursorCol()).as(name + ": cursor col").isEqualTo(cursorCol);
    }

    @Test
    void autoWrapMarksTheRowAsContinued() {
        TerminalScreen screen = screenAfter("0123456789AB\r\nnext");
        assertThat(screen.rowWrapped(0)).isTrue();
        assertThat(screen.rowWrapped(1)).isFalse();
        assertThat(screen.rowWrapped(2)).isFalse();
    }

    @Test
    void textEndingExactlyAtTheMarginIsNotWrapped() {
        TerminalScreen screen = screenAfter("0123456789\r\nx");
        assertThat(screen.rowWrapped(0)).isFalse();
    }

    @Test
    void erasingTheEndOfARowEndsItsContinuation() {
        TerminalScreen screen = screenAfter("0123456789AB" + E + "[1;5H" + E + "[K");
        assertThat(screen.rowWrapped(0)).isFalse();
    }

    @Test
    void wrapFlagsScrollWithTheirRows() {
        TerminalScreen screen = screenAfter("x\r\n0123456789AB\r\n\r\n");
        assertThat(screen.rowText(0)).isEqualTo("0123456789");
        assertThat(screen.rowWrapped(0)).isTrue();
        assertThat(screen.scrolledOffRows()).isEqualTo(1);
    }

    @Test
    void alternateScreenKeepsTheMainScreenAndCursor() {
        TerminalScreen screen = screenAfter("main");
        feed(screen, E + "[?1049h");
        assertThat(screen.inAlternateScreen()).isTrue();
        assertThat(rows(screen)).isEmpty();
        feed(screen, E + "[5;5Hvim" + "\r\n".repeat(10));
        feed(screen, E + "[?1049l");
        assertThat(screen.inAlternateScreen()).isFalse();
        assertThat(rows(screen)).containsExactly("main");
        assertThat(screen.cursorRow()).isZero();
        assertThat(screen.cursorCol()).isEqualTo(4);
        assertThat(screen.scrolledOffRows()).as("alternate screen scrolling is not main screen history").isZero();
    }

    @Test
    void olderAlternateScreenModesSwitchToo() {
        TerminalScreen screen = screenAfter("main");
        feed(screen, E + "[?47hA");
        assertThat(screen.inAlternateScreen()).isTrue();
        feed(screen, E + "[?47l");
        assertThat(rows(screen)).containsExactly("main");
        feed(screen, E + "[?1047hB" + E + "[?1047l" + E + "[?47h");
        assertThat(rows(screen)).as("1047 clears the alternate screen when leaving it").isEmpty();
    }

    @Test
    void utf8SplitAcrossFeedsIsOneCharacter() {
        TerminalScreen screen = new TerminalScreen(10, 4);
        byte[] b = "a日b".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            screen.feed(b, i, 1);
        }
        assertThat(screen.rowText(0)).isEqualTo("a日b");
        assertThat(screen.cursorCol()).isEqualTo(4);
    }

    @Test
    void escapeSequenceSplitAcrossFeedsIsParsed() {
        TerminalScreen screen = new TerminalScreen(10, 4);
        byte[] b = ("ab" + E + "[1;31m" + E + "]0;t\u0007c").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            screen.feed(b, i, 1);
        }
        assertThat(screen.rowText(0)).isEqualTo("abc");
    }

    @Test
    void invalidUtf8ShowsReplacementCharacters() {
        TerminalScreen screen = new TerminalScreen(10, 4);
        byte[] b = {'a', (byte) 0xFF, 'b', (byte) 0xE6, (byte) 0x97, 'c', (byte) 0xC0, (byte) 0x80, (byte) 0xED,
            (byte) 0xA0, (byte) 0x80};
        screen.feed(b, 0, b.length);
        // One replacement for each malformed sequence: a stray byte, a cut-short character, an overlong C0 80 (two
        // stray bytes), an encoded surrogate.
        assertThat(screen.rowText(0)).isEqualTo("a\uFFFDb\uFFFDc\uFFFD\uFFFD\uFFFD");
    }

    @Test
    void resizeKeepsTextAndKeepsTheCursorOnItsLine() {
        TerminalScreen screen = screenAfter("1\r\n2\r\n3\r\n4");
        screen.resize(5, 2);
        assertThat(rows(screen)).containsExactly("3", "4");
        assertThat(screen.cursorRow()).isEqualTo(1);
        assertThat(screen.scrolledOffRows()).isEqualTo(2);
        screen.resize(20, 6);
        assertThat(rows(screen)).containsExactly("3", "4");
        feed(screen, E + "[1;15Hx");
        assertThat(screen.rowText(0)).isEqualTo("3             x");
    }

    @Test
    void resizeCutsAWideCharacterThatNoLongerFits() {
        TerminalScreen screen = screenAfter("1234日");
        screen.resize(5, 4);
        assertThat(screen.rowText(0)).isEqualTo("1234");
    }

    @Test
    void hugeWindowSizesAreClamped() {
        TerminalScreen screen = new TerminalScreen(65535, 65535);
        assertThat(screen.cols()).isEqualTo(TerminalScreen.MAX_COLS);
        assertThat(screen.rows()).isEqualTo(TerminalScreen.MAX_ROWS);
    }

    @Test
    void nonPositiveSizeIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> new TerminalScreen(0, 24))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("terminal cols must be positive, got 0");
        assertThatThrownBy(() -> new TerminalScreen(80, 24).resize(80, -1))
                .hasMessage("terminal rows must be positive, got -1");
    }

    @Test
    void rowOutsideTheScreenIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> new TerminalScreen(10, 4).rowText(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row 4 is outside the screen (0..3)");
    }

    @Test
    void feedIgnoresBadBounds() {
        TerminalScreen screen = new TerminalScreen(10, 4);
        screen.feed(new byte[] {'a'}, 1, 5);
        screen.feed(null, 0, 1);
        screen.feed(new byte[] {'a'}, -1, 1);
        assertThat(rows(screen)).isEmpty();
    }
}
