package org.ttyaudit.core.asciicast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class Utf8CarryProperties {

    /** Bytes that hit the interesting cases often: ASCII, lead bytes of every length, continuations, invalid. */
    @Provide
    Arbitrary<byte[]> terminalBytes() {
        Arbitrary<Byte> interesting = Arbitraries.of(0x41, 0x1B, 0x0A, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF)
                .map(Integer::byteValue);
        Arbitrary<Byte> any = Arbitraries.bytes();
        Arbitrary<Byte> mixed = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, interesting), net.jqwik.api.Tuple.of(1, any));
        Arbitrary<byte[]> fromText = Arbitraries.strings().all().ofMaxLength(40)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = mixed.list().ofMaxSize(60).map(list -> {
            byte[] b = new byte[list.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = list.get(i);
            }
            return b;
        });
        return Arbitraries.oneOf(raw, fromText);
    }

    @Property(tries = 2000)
    void decodingInPiecesEqualsDecodingAtOnce(@ForAll("terminalBytes") byte[] stream,
                                              @ForAll @Size(max = 10) List<Integer> cutSeeds) {
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int seed : cutSeeds) {
            cuts.add(Math.floorMod(seed, stream.length + 1));
        }
        Utf8Carry pieces = new Utf8Carry();
        StringBuilder joined = new StringBuilder();
        int from = 0;
        List<Integer> bounds = new ArrayList<>(cuts);
        bounds.add(stream.length);
        for (int to : bounds) {
            char[] dst = new char[Utf8Carry.maxChars(to - from) + 3];
            int n = pieces.decode(stream, from, to - from, dst, 3);
            joined.append(dst, 3, n);
            from = to;
        }
        joined.append(pieces.flush());

        Utf8Carry whole = new Utf8Carry();
        String atOnce = whole.decode(stream) + whole.flush();
        assertThat(joined.toString()).isEqualTo(atOnce);
    }

    @Property(tries = 1000)
    void agreesWithTheJdkDecoderExceptForEncodedSurrogates(@ForAll("terminalBytes") byte[] stream) {
        // The JDK turns an encoded surrogate (ED A0..BF xx) into one U+FFFD; the Unicode practice we follow gives
        // one per byte. Everywhere else both follow the maximal-subpart rule.
        for (int i = 0; i + 1 < stream.length; i++) {
            Assume.that(!((stream[i] & 0xFF) == 0xED && (stream[i + 1] & 0xFF) >= 0xA0
                    && (stream[i + 1] & 0xFF) <= 0xBF));
        }
        Utf8Carry carry = new Utf8Carry();
        assertThat(carry.decode(stream) + carry.flush()).isEqualTo(new String(stream, StandardCharsets.UTF_8));
    }

    @Property
    void validTextSurvivesAnySplitExactly(@ForAll String text, @ForAll int cutSeed) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        // Strings with lone surrogates are not valid text; the JDK already encoded those as '?'.
        int cut = Math.floorMod(cutSeed, all.length + 1);
        Utf8Carry carry = new Utf8Carry();
        String out = carry.decode(java.util.Arrays.copyOfRange(all, 0, cut))
                + carry.decode(java.util.Arrays.copyOfRange(all, cut, all.length)) + carry.flush();
        assertThat(out).isEqualTo(new String(all, StandardCharsets.UTF_8));
    }

    @Property
    void neverProducesLoneSurrogates(@ForAll("terminalBytes") byte[] stream) {
        Utf8Carry carry = new Utf8Carry();
        String out = carry.decode(stream) + carry.flush();
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < out.length() && Character.isLowSurrogate(out.charAt(i + 1))).isTrue();
                i++;
            } else {
                assertThat(Character.isLowSurrogate(c)).isFalse();
            }
        }
    }
}
