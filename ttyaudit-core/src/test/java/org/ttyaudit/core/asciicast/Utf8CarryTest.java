package org.ttyaudit.core.asciicast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8CarryTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void asciiPassesThrough() {
        assertThat(new Utf8Carry().decode("hello\r\n\u001b[0m".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("hello\r\n\u001b[0m");
    }

    @Test
    void characterSplitAtEveryPointIsEmittedWholeByTheLaterCall() {
        String text = "a€😀é";
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= all.length; cut++) {
            Utf8Carry carry = new Utf8Carry();
            byte[] first = java.util.Arrays.copyOfRange(all, 0, cut);
            byte[] second = java.util.Arrays.copyOfRange(all, cut, all.length);
            String a = carry.decode(first);
            String b = carry.decode(second);
            assertThat(a + b).as("cut at %d", cut).isEqualTo(text);
            assertThat(a).as("first half at cut %d holds only whole characters", cut)
                    .isEqualTo(new String(all, 0, lastBoundary(text, cut), StandardCharsets.UTF_8));
            assertThat(carry.flush()).isEmpty();
        }
    }

    private static int lastBoundary(String text, int byteCut) {
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > byteCut) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return bytes;
    }

    @Test
    void fourByteCharacterFedOneByteAtATimeCarriesThreeBytes() {
        Utf8Carry carry = new Utf8Carry();
        byte[] smile = "😀".getBytes(StandardCharsets.UTF_8);
        assertThat(carry.decode(new byte[] {smile[0]})).isEmpty();
        assertThat(carry.pendingBytes()).isEqualTo(1);
        assertThat(carry.decode(new byte[] {smile[1]})).isEmpty();
        assertThat(carry.decode(new byte[] {smile[2]})).isEmpty();
        assertThat(carry.pendingBytes()).isEqualTo(3);
        assertThat(carry.decode(new byte[] {smile[3]})).isEqualTo("😀");
        assertThat(carry.pendingBytes()).isZero();
    }

    @Test
    void invalidBytesBecomeOneReplacementPerMaximalSubpart() {
        // The example of the Unicode Standard, section 3.9 (U+FFFD substitution of maximal subparts).
        byte[] in = bytes(0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64);
        assertThat(new Utf8Carry().decode(in)).isEqualTo("a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
    }

    @Test
    void overlongFormsSurrogatesAndTooLargeCodePointsAreRejectedBytewise() {
        assertThat(new Utf8Carry().decode(bytes(0xC0, 0xAF))).isEqualTo("\uFFFD\uFFFD");
        assertThat(new Utf8Carry().decode(bytes(0xE0, 0x80, 0xAF))).isEqualTo("\uFFFD\uFFFD\uFFFD");
        assertThat(new Utf8Carry().decode(bytes(0xED, 0xA0, 0x80))).isEqualTo("\uFFFD\uFFFD\uFFFD");
        assertThat(new Utf8Carry().decode(bytes(0xF4, 0x90, 0x80, 0x80))).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD");
        assertThat(new Utf8Carry().decode(bytes(0xFF, 0xFE, 0x41))).isEqualTo("\uFFFD\uFFFDA");
    }

    @Test
    void brokenSequenceAcrossCallsReplacesTheCarriedBytesAndKeepsTheNextByte() {
        Utf8Carry carry = new Utf8Carry();
        assertThat(carry.decode(bytes(0x41, 0xE2, 0x82))).isEqualTo("A");
        assertThat(carry.decode(bytes(0x42))).isEqualTo("\uFFFDB");
    }

    @Test
    void incompleteSequenceAtTheEndIsFlushedAsOneReplacement() {
        Utf8Carry carry = new Utf8Carry();
        assertThat(carry.decode(bytes(0x41, 0xF0, 0x9F, 0x98))).isEqualTo("A");
        assertThat(carry.flush()).isEqualTo("\uFFFD");
        assertThat(carry.flush()).isEmpty();
        assertThat(carry.decode(bytes(0x42))).isEqualTo("B");
    }

    @Test
    void tooSmallDestinationIsRefusedUpFront() {
        assertThatThrownBy(() -> new Utf8Carry().decode(new byte[4], 0, 4, new char[4], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room for 5");
    }
}
