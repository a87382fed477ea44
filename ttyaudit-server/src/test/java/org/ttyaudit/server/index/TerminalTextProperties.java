package org.ttyaudit.server.index;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TerminalText#strip} (which copies runs of kept bytes at once) gives exactly what the byte-by-byte
 * implementation it replaced gave, kept here as the reference.
 */
class TerminalTextProperties {

    @Property(tries = 2000)
    void stripIsTheByteByByteReference(@ForAll("terminalBytes") byte[] data) {
        assertThat(TerminalText.strip(data)).isEqualTo(Reference.strip(data));
    }

    @Property(tries = 500)
    void aPrefixLengthStripsOnlyThePrefix(@ForAll("terminalBytes") byte[] data, @ForAll("fractions") double cut) {
        int length = (int) (data.length * cut);
        assertThat(TerminalText.strip(data, length)).isEqualTo(Reference.strip(Arrays.copyOf(data, length)));
    }

    /** Bytes weighted towards what terminals send: text, UTF-8, escape introducers, their finals, controls. */
    @Provide
    Arbitrary<byte[]> terminalBytes() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) 0x1B, (byte) '[', (byte) ']', (byte) 'P', (byte) '\\',
                (byte) 0x07, (byte) '\r', (byte) '\n', (byte) '\t', (byte) 0x7F, (byte) '(', (byte) ';', (byte) 'm',
                (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0x00, (byte) 0x1F);
        Arbitrary<Byte> text = Arbitraries.bytes().between((byte) 0x20, (byte) 0x7E);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(
                        Tuple.of(5, text), Tuple.of(3, interesting),
                        Tuple.of(1, any))
                .list().ofMaxSize(300)
                .map(list -> {
                    byte[] b = new byte[list.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = list.get(i);
                    }
                    return b;
                });
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

    /** The implementation before runs were copied at once: one byte at a time into a copy, then decoded. */
    private static final class Reference {
        private static final int ESC = 0x1B;
        private static final int BEL = 0x07;

        static String strip(byte[] data) {
            byte[] out = new byte[data.length];
            int n = 0;
            int i = 0;
            while (i < data.length) {
                int b = data[i] & 0xFF;
                if (b == ESC) {
                    i = skipEscape(data, i + 1);
                    continue;
                }
                if (b == '\n' || b == '\t' || b >= 0x20 && b != 0x7F) {
                    out[n++] = (byte) b;
                }
                i++;
            }
            return new String(out, 0, n, StandardCharsets.UTF_8);
        }

        private static int skipEscape(byte[] data, int i) {
            if (i >= data.length) {
                return i;
            }
            int kind = data[i] & 0xFF;
            if (kind == '[') {
                int j = i + 1;
                while (j < data.length && (data[j] & 0xFF) >= 0x20 && (data[j] & 0xFF) <= 0x3F) {
                    j++;
                }
                return Math.min(data.length, j + 1);
            }
            if (kind == ']' || kind == 'P' || kind == '_' || kind == '^' || kind == 'X') {
                int j = i + 1;
                while (j < data.length) {
                    int c = data[j] & 0xFF;
                    if (c == BEL) {
                        return j + 1;
                    }
                    if (c == ESC && j + 1 < data.length && data[j + 1] == '\\') {
                        return j + 2;
                    }
                    j++;
                }
                return j;
            }
            if (kind >= 0x20 && kind <= 0x2F) {
                int j = i;
                while (j < data.length && (data[j] & 0xFF) >= 0x20 && (data[j] & 0xFF) <= 0x2F) {
                    j++;
                }
                return Math.min(data.length, j + 1);
            }
            return i + 1;
        }
    }
}
