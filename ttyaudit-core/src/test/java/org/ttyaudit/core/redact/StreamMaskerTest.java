package org.ttyaudit.core.redact;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamMaskerTest {
    private static final String GHP = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

    /** Collects what a StreamMasker releases. */
    static final class Collector implements StreamMasker.Sink {
        final List<Long> tags = new ArrayList<>();
        final List<byte[]> pieces = new ArrayList<>();
        final ByteArrayOutputStream all = new ByteArrayOutputStream();

        @Override
        public void accept(long tag, byte[] data) {
            tags.add(tag);
            pieces.add(data);
            all.writeBytes(data);
        }

        String text() {
            return all.toString(ISO_8859_1);
        }
    }

    private final Collector out = new Collector();
    private final StreamMasker masker = new StreamMasker(SecretMasker.defaults(), out);

    private void write(long tag, String s) {
        masker.write(tag, s.getBytes(ISO_8859_1));
    }

    @Test
    void secretSplitAcrossTwoPiecesIsMasked() {
        write(1, "$ export GITHUB_TOKEN=ghp_a1B2c3D4e5F6");
        write(2, "g7H8i9J0k1L2m3N4o5P6q7R8\r\n$ ");
        masker.flush();
        assertThat(out.text()).isEqualTo("$ export GITHUB_TOKEN=" + "*".repeat(GHP.length()) + "\r\n$ ");
        assertThat(out.text()).doesNotContain("g7H8i9J0");
    }

    @Test
    void ordinaryOutputIsReleasedAtOnce() {
        write(7, "total 0\r\ndrwxr-xr-x 2 root root 4096 .\r\n$ ");
        assertThat(masker.pendingBytes()).isZero();
        assertThat(out.text()).isEqualTo("total 0\r\ndrwxr-xr-x 2 root root 4096 .\r\n$ ");
        assertThat(out.tags).containsOnly(7L);
    }

    @Test
    void possibleSecretPrefixIsHeldUntilItIsDecided() {
        write(1, "$ export GITHUB_TOKEN=ab");
        assertThat(masker.pendingBytes()).isPositive();
        assertThat(out.text()).isEqualTo("$ export GITHUB_TOKEN");
        assertThat(masker.oldestPendingTag()).hasValue(1);
        write(2, "c\r\n");
        assertThat(masker.pendingBytes()).isZero();
        assertThat(out.text()).isEqualTo("$ export GITHUB_TOKEN=***\r\n");
        assertThat(masker.oldestPendingTag()).isEmpty();
    }

    @Test
    void keystrokesOfAPasswordFlagAreMaskedWhenTypedOneByOne() {
        String typed = "mytool --password=hunter2 --verbose\r";
        for (int i = 0; i < typed.length(); i++) {
            write(i, typed.substring(i, i + 1));
        }
        masker.flush();
        assertThat(out.text()).isEqualTo("mytool --password=******* --verbose\r");
        // every released piece is one keystroke, with the keystroke's tag
        assertThat(out.pieces).allSatisfy(p -> assertThat(p).hasSize(1));
        assertThat(out.tags).isSorted().hasSize(typed.length());
    }

    @Test
    void pieceBoundariesAndTagsArePreserved() {
        write(10, "abc ");
        write(20, "PASSW");
        write(30, "ORD=x y\n");
        masker.flush();
        assertThat(out.text()).isEqualTo("abc PASSWORD=* y\n");
        List<String> pieces = out.pieces.stream().map(p -> new String(p, ISO_8859_1)).toList();
        assertThat(String.join("|", pieces)).isEqualTo("abc |PASSW|ORD=* y\n");
        assertThat(out.tags).containsExactly(10L, 20L, 30L);
    }

    @Test
    void pemPrivateKeyArrivingInManyReadsIsMasked() {
        StringBuilder body = new StringBuilder();
        Random random = new Random(1);
        for (int line = 0; line < 40; line++) {
            for (int i = 0; i < 64; i++) {
                body.append((char) ('A' + random.nextInt(26)));
            }
            body.append("\r\n");
        }
        String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\r\n" + body + "-----END OPENSSH PRIVATE KEY-----\r\n$ ";
        for (int i = 0; i < pem.length(); i += 100) {
            write(i, pem.substring(i, Math.min(pem.length(), i + 100)));
        }
        masker.flush();
        String expected = "-----BEGIN OPENSSH PRIVATE KEY-----\r\n" + body.toString().replaceAll("[A-Z]", "*")
                + "-----END OPENSSH PRIVATE KEY-----\r\n$ ";
        assertThat(out.text()).isEqualTo(expected);
        assertThat(masker.forcedReleases()).isZero();
    }

    @Test
    void windowBoundsPendingBytesAndCountsForcedReleases() {
        StreamMasker small = new StreamMasker(SecretMasker.defaults(), 64, out);
        small.write(1, "-----BEGIN PRIVATE KEY-----\n".getBytes(ISO_8859_1));
        small.write(2, "A".repeat(200).getBytes(ISO_8859_1));
        assertThat(small.pendingBytes()).isLessThanOrEqualTo(64);
        assertThat(small.forcedReleases()).isEqualTo(1);
        small.flush();
        assertThat(out.all.size()).isEqualTo(28 + 200);
    }

    @Test
    void flushReleasesEverythingAndTreatsTheEndAsEndOfStream() {
        write(1, "id AKIAIOSFODNN7EXAMPLE");
        assertThat(masker.pendingBytes()).isPositive();
        masker.flush();
        assertThat(masker.pendingBytes()).isZero();
        assertThat(out.text()).isEqualTo("id " + "*".repeat(20));
    }

    @Test
    void lookBehindSeesAlreadyReleasedBytes() {
        // "xAKIA..." is not a key id (the letter before it joins it to a longer word), even when x was released
        write(1, "some words x");
        masker.flush();
        write(2, "AKIAIOSFODNN7EXAMPLE and more\n");
        masker.flush();
        assertThat(out.text()).isEqualTo("some words xAKIAIOSFODNN7EXAMPLE and more\n");
    }

    @Test
    void rejectsTinyWindow() {
        assertThatThrownBy(() -> new StreamMasker(SecretMasker.defaults(), 10, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windowBytes");
    }

    @Test
    void measuresThroughputOnBulkOutput() {
        // Typical terminal output (ls -l like lines); printed, not asserted: timing depends on the machine.
        StringBuilder sb = new StringBuilder();
        Random random = new Random(7);
        while (sb.length() < 1 << 20) {
            sb.append("-rw-r--r-- 1 alice staff ").append(random.nextInt(100000)).append(" Nov 25 07:55 file_")
                    .append(Integer.toHexString(random.nextInt())).append(".txt\r\n");
        }
        byte[] data = sb.toString().getBytes(ISO_8859_1);
        Collector sink = new Collector();
        for (int round = 0; round < 3; round++) {
            StreamMasker m = new StreamMasker(SecretMasker.defaults(), (tag, d) -> { });
            long t0 = System.nanoTime();
            for (int off = 0; off < data.length; off += 4096) {
                m.write(off, data, off, Math.min(4096, data.length - off));
            }
            m.flush();
            long t1 = System.nanoTime();
            byte[] copy = data.clone();
            SecretMasker.defaults().maskInPlace(copy, 0, copy.length);
            long t2 = System.nanoTime();
            System.out.printf("StreamMasker: %.1f MB/s in 4 KiB pieces; maskInPlace: %.1f MB/s (1 MiB)%n",
                    data.length / ((t1 - t0) / 1e3), data.length / ((t2 - t1) / 1e3));
        }
        StreamMasker m = new StreamMasker(SecretMasker.defaults(), sink);
        m.write(0, data);
        m.flush();
        assertThat(sink.all.toByteArray()).isEqualTo(data);
    }
}
