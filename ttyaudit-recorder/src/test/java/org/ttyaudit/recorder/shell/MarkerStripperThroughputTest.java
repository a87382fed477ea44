package org.ttyaudit.recorder.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Measures MB/s over 100 MB (printed, so regressions are visible in the build log); asserts correctness only. */
class MarkerStripperThroughputTest {
    private static final int TOTAL = 100 * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    @Test
    void plainTextStreamsThroughUnchanged() {
        byte[] block = new byte[1024 * 1024];
        Random r = new Random(1);
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % 80 == 79 ? '\n' : 'a' + r.nextInt(26));
        }
        Result result = run("plain text", block);
        assertThat(result.visible).isEqualTo(TOTAL);
        assertThat(result.events).isZero();
    }

    @Test
    void textWithColoursAndMarkersStreamsThroughWithMarkersRemoved() {
        StringBuilder b = new StringBuilder();
        String markers = StripperHarness.marker('D', ";exit=0") + StripperHarness.marker('A', "")
                + StripperHarness.marker('B', "") + StripperHarness.marker('C', ";cmd=ls -l --color;cwd=/home/u");
        int markerBytes = 0;
        int markerSets = 0;
        while (b.length() < 1024 * 1024 - 2000) {
            b.append("\u001b[01;34mdirectory\u001b[0m  file.txt  \u001b[01;32mscript.sh\u001b[0m\r\n".repeat(20));
            b.append(markers);
            markerBytes += markers.length();
            markerSets++;
        }
        byte[] block = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        Result result = run("text with colours and markers", block);
        long repeats = TOTAL / block.length;
        assertThat(result.visible).isEqualTo(repeats * (block.length - markerBytes));
        assertThat(result.events).isEqualTo(repeats * markerSets * 4);
    }

    private record Result(long visible, long events) {
    }

    /** Counts callbacks without building strings, so the measurement is of the stripper. */
    private static final class CountingListener implements MarkerListener {
        long events;

        @Override
        public void promptStart() {
            events++;
        }

        @Override
        public void commandLineStart() {
            events++;
        }

        @Override
        public void commandStart(String commandLineOrNull, String cwdOrNull) {
            events++;
        }

        @Override
        public void commandFinished(int exitCode) {
            events++;
        }

        @Override
        public void forgedMarker(String description) {
            events += 1000;
        }
    }

    private static Result run(String what, byte[] block) {
        CountingListener listener = new CountingListener();
        MarkerStripper stripper = new MarkerStripper(StripperHarness.NONCE.getBytes(StandardCharsets.US_ASCII),
                listener);
        byte[] out = new byte[CHUNK + MarkerStripper.MAX_SEQUENCE_BYTES];
        // warm up the JIT on a copy so the measurement shows the steady state
        MarkerStripper warm = new MarkerStripper(StripperHarness.NONCE.getBytes(StandardCharsets.US_ASCII),
                new MarkerListener() { });
        for (int i = 0; i < 20; i++) {
            for (int off = 0; off < block.length; off += CHUNK) {
                warm.filter(block, off, Math.min(CHUNK, block.length - off), out, 0);
            }
        }
        long visible = 0;
        long start = System.nanoTime();
        for (int i = 0; i < TOTAL / block.length; i++) {
            for (int off = 0; off < block.length; off += CHUNK) {
                visible += stripper.filter(block, off, Math.min(CHUNK, block.length - off), out, 0);
            }
        }
        visible += stripper.flush(out, 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("MarkerStripper, %s: %.0f MB/s (%d MB in %.3f s)%n", what,
                TOTAL / 1e6 / seconds, TOTAL / (1024 * 1024), seconds);
        return new Result(visible, listener.events);
    }
}
