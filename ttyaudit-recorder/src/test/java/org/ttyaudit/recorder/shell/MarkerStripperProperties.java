package org.ttyaudit.recorder.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MarkerStripperProperties {
    private static final byte[] NONCE = StripperHarness.NONCE.getBytes(StandardCharsets.US_ASCII);

    /** One piece of output: plain program output, or one of our markers with the event it must produce. */
    record Piece(byte[] bytes, String event) {
    }

    @Property(tries = 300)
    void visibleOutputIsTheInputMinusTheMarkersAndEveryMarkerIsReportedInOrder(
            @ForAll("pieces") List<Piece> pieces, @ForAll("cuts") List<Integer> cuts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream expectedVisible = new ByteArrayOutputStream();
        List<String> expectedEvents = new ArrayList<>();
        for (Piece p : pieces) {
            all.writeBytes(p.bytes());
            if (p.event() == null) {
                expectedVisible.writeBytes(p.bytes());
            } else {
                expectedEvents.add(p.event());
            }
        }
        byte[] input = all.toByteArray();
        RecordingListener listener = new RecordingListener();
        MarkerStripper stripper = new MarkerStripper(NONCE, listener);
        ByteArrayOutputStream visible = new ByteArrayOutputStream();
        TreeSet<Integer> points = new TreeSet<>();
        for (int c : cuts) {
            points.add(Math.floorMod(c, input.length + 1));
        }
        points.add(input.length);
        int from = 0;
        for (int to : points) {
            byte[] out = new byte[to - from + stripper.heldBytes()];
            visible.write(out, 0, stripper.filter(input, from, to - from, out, 0));
            from = to;
        }
        byte[] rest = new byte[stripper.heldBytes()];
        visible.write(rest, 0, stripper.flush(rest, 0));

        assertThat(visible.toByteArray()).isEqualTo(expectedVisible.toByteArray());
        assertThat(listener.events).isEqualTo(expectedEvents);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Piece>> pieces() {
        return Arbitraries.oneOf(text(), marker()).list().ofMaxSize(12);
    }

    /** Arbitrary output, biased towards ESC, BEL and bits of OSC 133 so near-misses are common. */
    private Arbitrary<Piece> text() {
        Arbitrary<byte[]> chunk = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.of("\u001b", "\u0007", "\u001b]", "\u001b]133;", "\u001b]133;A", "\u001b]133;A\u0007",
                        "\u001b]133;D;0\u001b\\", "\u001b]0;title\u0007", "\u001b[31m", "\u001b]133;C;ttyaud",
                        "\u001b]1330;x\u0007", "plain text\r\n")
                        .map(s -> s.getBytes(StandardCharsets.ISO_8859_1)));
        return chunk.list().ofMaxSize(4).map(list -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            list.forEach(b::writeBytes);
            return b.toByteArray();
        }).filter(MarkerStripperProperties::cannotCompleteOurPrefix).map(b -> new Piece(b, null));
    }

    /**
     * Random text could, in theory, end with a complete "ESC ] 133 ; K ; ttyaudit=" and so swallow the next
     * piece; that is a marker, not text, so such text is excluded.
     */
    private static boolean cannotCompleteOurPrefix(byte[] b) {
        return !new String(b, StandardCharsets.ISO_8859_1).contains("ttyaudit=");
    }

    private Arbitrary<Piece> marker() {
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(60);
        Arbitrary<String> terminator = Arbitraries.of("\u0007", "\u001b\\");
        Arbitrary<Piece> simple = Combinators.combine(Arbitraries.of('A', 'B'), terminator).as((k, t) ->
                piece("\u001b]133;" + k + ";ttyaudit=" + StripperHarness.NONCE + t, String.valueOf(k)));
        Arbitrary<Piece> start = Combinators.combine(value, value, terminator).as((cmd, cwd, t) -> piece(
                "\u001b]133;C;ttyaudit=" + StripperHarness.NONCE + ";cmd=" + latin1(MarkerEscaping.encode(cmd))
                        + ";cwd=" + latin1(MarkerEscaping.encode(cwd)) + t,
                "C cmd=[" + utf8(cmd) + "] cwd=[" + utf8(cwd) + "]"));
        Arbitrary<Piece> end = Combinators.combine(Arbitraries.integers().between(0, 255), terminator).as((c, t) ->
                piece("\u001b]133;D;ttyaudit=" + StripperHarness.NONCE + ";exit=" + c + t, "D " + c));
        return Arbitraries.oneOf(simple, start, end);
    }

    private static Piece piece(String latin1, String event) {
        return new Piece(latin1.getBytes(StandardCharsets.ISO_8859_1), event);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
