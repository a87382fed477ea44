package org.ttyaudit.core.screen;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The emulator is a decoder of outside input: no bytes may make it throw or put the cursor off the screen. */
class TerminalScreenProperties {

    @Property(tries = 500)
    void randomBytesNeverThrowAndKeepTheCursorOnTheScreen(@ForAll("terminalBytes") byte[] bytes,
                                                          @ForAll @IntRange(min = 1, max = 40) int cols,
                                                          @ForAll @IntRange(min = 1, max = 12) int rows,
                                                          @ForAll @IntRange(min = 1, max = 64) int chunk) {
        TerminalScreen screen = new TerminalScreen(cols, rows);
        for (int off = 0; off < bytes.length; off += chunk) {
            screen.feed(bytes, off, Math.min(chunk, bytes.length - off));
            assertCursorInside(screen);
        }
        for (int r = 0; r < screen.rows(); r++) {
            assertThat(screen.rowText(r).codePointCount(0, screen.rowText(r).length())).isLessThanOrEqualTo(cols);
        }
    }

    @Property(tries = 300)
    void resizingBetweenRandomBytesNeverThrows(@ForAll("terminalBytes") byte[] bytes,
                                               @ForAll @Size(max = 6) java.util.List<@IntRange(min = 1, max = 50)
                                                       Integer> sizes) {
        TerminalScreen screen = new TerminalScreen(20, 6);
        int part = Math.max(1, bytes.length / (sizes.size() + 1));
        int off = 0;
        for (int size : sizes) {
            int n = Math.min(part, bytes.length - off);
            screen.feed(bytes, off, n);
            off += n;
            screen.resize(size, Math.max(1, size / 3));
            assertCursorInside(screen);
        }
        screen.feed(bytes, off, bytes.length - off);
        assertCursorInside(screen);
    }

    @Property(tries = 300)
    void howBytesAreSplitAcrossFeedsDoesNotMatter(@ForAll("terminalBytes") byte[] bytes,
                                                  @ForAll @IntRange(min = 1, max = 7) int chunk) {
        TerminalScreen whole = new TerminalScreen(16, 5);
        whole.feed(bytes, 0, bytes.length);
        TerminalScreen pieces = new TerminalScreen(16, 5);
        for (int off = 0; off < bytes.length; off += chunk) {
            pieces.feed(bytes, off, Math.min(chunk, bytes.length - off));
        }
        for (int r = 0; r < 5; r++) {
            assertThat(pieces.rowText(r)).isEqualTo(whole.rowText(r));
            assertThat(pieces.rowWrapped(r)).isEqualTo(whole.rowWrapped(r));
        }
        assertThat(pieces.cursorRow()).isEqualTo(whole.cursorRow());
        assertThat(pieces.cursorCol()).isEqualTo(whole.cursorCol());
        assertThat(pieces.inAlternateScreen()).isEqualTo(whole.inAlternateScreen());
    }

    private static void assertCursorInside(TerminalScreen screen) {
        assertThat(screen.cursorRow()).isBetween(0, screen.rows() - 1);
        assertThat(screen.cursorCol()).isBetween(0, screen.cols() - 1);
    }

    /**
     * Random bytes, mixed with fragments that steer the parser into its deeper states (CSI with parameters, private
     * modes, strings, UTF-8 lead bytes), since uniformly random bytes rarely form a sequence.
     */
    @Provide
    Arbitrary<byte[]> terminalBytes() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> fragments = Arbitraries.of(
                "\u001b[", "\u001b[?", "\u001b]", "\u001bP", "\u001b\\", "\u001b7", "\u001b8", "\u001bM", "\u001bc",
                "\u001b#8", ";", "1", "99999999", "\u001b[?1049h", "\u001b[?1049l", "\u001b[?47h", "\u001b[?6h",
                "\u001b[?7l", "\u001b[2;3r", "\u001b[4h", "\u001b[L", "\u001b[M", "\u001b[P", "\u001b[@", "\u001b[b",
                "\u001b[S", "\u001b[T", "\r", "\n", "\b", "\t", "日", "\uD83D\uDE00", "e\u0301", "abcdefghij")
                .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Arbitrary<byte[]> leads = Arbitraries.of(new byte[] {(byte) 0xE6}, new byte[] {(byte) 0xF0, (byte) 0x9F},
                new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC2});
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, raw), net.jqwik.api.Tuple.of(6, fragments), net.jqwik.api.Tuple.of(1, leads));
        return piece.list().ofMaxSize(60).map(list -> {
            int n = list.stream().mapToInt(a -> a.length).sum();
            byte[] out = new byte[n];
            int off = 0;
            for (byte[] a : list) {
                System.arraycopy(a, 0, out, off, a.length);
                off += a.length;
            }
            return out;
        });
    }

}
