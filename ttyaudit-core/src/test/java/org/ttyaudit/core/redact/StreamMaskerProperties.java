package org.ttyaudit.core.redact;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever way a stream is cut into pieces, the stream masker releases exactly what masking the whole stream at
 * once gives: secrets split across pieces are masked and nothing else changes.
 */
class StreamMaskerProperties {
    private static final SecretMasker MASKER = SecretMasker.defaults();

    /** Secrets in context: text before, the secret to look for in the output, and (optionally) text after. */
    private static final List<String[]> SECRETS = List.of(
            new String[] {"export GITHUB_TOKEN=", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"},
            new String[] {"key ", "AKIAIOSFODNN7EXAMPLE"},
            new String[] {"mysql -u root -p", "Hunter2Secret"},
            new String[] {"deploy --password=", "Tr0ub4dor&3x"},
            new String[] {"curl -H 'Authorization: Bearer ", "abcDEF123.ghiJKL456"},
            new String[] {"git clone https://alice:", "s3cr3tPass", "@example.com/r.git"},
            new String[] {"PGPASSWORD=", "correcthorsebattery"},
            new String[] {"slack xoxb-", "123456789012-1234567890123-AbCdEfGhIj"},
            new String[] {"-----BEGIN EC PRIVATE KEY-----\r\n",
                "MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\r\n-----END EC PRIVATE KEY-----"});

    /** Text that is not secret but full of near misses (prefixes of secrets, flags, keywords). */
    private static final String[] FILLER_WORDS = {
        " ", "\r\n", "$ ", "ls -p ", "git push ", "passwd\n", "AKIA ", "ghp_", "--password\n", "PASSWORD\n",
        "mysql -p\n", "https://", "x", "=", "-----BEGIN", "eyJ", "token\n", "AIza ", "ok, ", "\"", "'", ":",
    };

    @Provide
    Arbitrary<String> filler() {
        return Arbitraries.of(FILLER_WORDS).list().ofMaxSize(12).map(words -> String.join("", words));
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 400).list().ofMaxSize(12);
    }

    @Property(tries = 400)
    void secretSplitAnywhereNeverAppearsAndOtherBytesAreUnchanged(
            @ForAll("filler") String before, @ForAll("filler") String after,
            @ForAll("secretIndex") int secretIndex, @ForAll("cuts") List<Integer> cuts) {
        String[] secret = SECRETS.get(secretIndex);
        String prefix = before + "\n" + secret[0];
        String stream = prefix + secret[1] + (secret.length > 2 ? secret[2] : "") + "\n" + after;
        byte[] bytes = stream.getBytes(ISO_8859_1);

        byte[] out = run(bytes, cuts, StreamMasker.DEFAULT_WINDOW);

        String released = new String(out, ISO_8859_1);
        assertThat(released).doesNotContain(secret[1].replace("\r\n", ""));
        assertThat(released.length()).isEqualTo(stream.length());
        // nothing before the secret's context changes; the whole result equals masking the stream at once
        assertThat(released).startsWith(before + "\n");
        byte[] whole = bytes.clone();
        MASKER.maskInPlace(whole, 0, whole.length);
        assertThat(out).isEqualTo(whole);
    }

    @Provide
    Arbitrary<Integer> secretIndex() {
        return Arbitraries.integers().between(0, SECRETS.size() - 1);
    }

    @Property(tries = 300)
    void anySplitOfNearMissTextGivesTheSameResultAsMaskingItWhole(
            @ForAll("nearMisses") String stream, @ForAll("cuts") List<Integer> cuts) {
        byte[] bytes = stream.getBytes(ISO_8859_1);
        byte[] whole = bytes.clone();
        MASKER.maskInPlace(whole, 0, whole.length);
        assertThat(run(bytes, cuts, StreamMasker.DEFAULT_WINDOW)).isEqualTo(whole);
    }

    @Provide
    Arbitrary<String> nearMisses() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of(FILLER_WORDS),
                Arbitraries.of(SECRETS).map(s -> String.join("", s)),
                Arbitraries.strings().withChars("abAK09_-=:/@.\n ").ofMaxLength(6));
        return word.list().ofMaxSize(30).map(words -> String.join("", words))
                .edgeCases(edges -> edges.add("--password ").add("PASSWORD=x").add("ghp_"));
    }

    @Property(tries = 200)
    void smallWindowKeepsEveryByteAndPieceBoundary(
            @ForAll("nearMisses") String stream, @ForAll("cuts") List<Integer> cuts) {
        byte[] bytes = stream.getBytes(ISO_8859_1);
        List<int[]> pieces = pieces(bytes.length, cuts);
        List<Long> tags = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        StreamMasker masker = new StreamMasker(MASKER, 64, (tag, data) -> {
            tags.add(tag);
            lengths.add(data.length);
        });
        for (int[] p : pieces) {
            masker.write(p[0], bytes, p[0], p[1] - p[0]);
            assertThat(masker.pendingBytes()).isLessThanOrEqualTo(64);
        }
        masker.flush();
        // every released piece lies inside the written piece named by its tag, in order, covering all bytes
        int pos = 0;
        for (int i = 0; i < tags.size(); i++) {
            int piece = indexOfPiece(pieces, pos);
            assertThat(tags.get(i)).isEqualTo(pieces.get(piece)[0]);
            pos += lengths.get(i);
            assertThat(pos).isLessThanOrEqualTo(pieces.get(piece)[1]);
        }
        assertThat(pos).isEqualTo(bytes.length);
    }

    private static int indexOfPiece(List<int[]> pieces, int pos) {
        for (int i = 0; i < pieces.size(); i++) {
            if (pos >= pieces.get(i)[0] && pos < pieces.get(i)[1]) {
                return i;
            }
        }
        throw new AssertionError("no piece at " + pos);
    }

    /** Pieces as [start, end) for the given cut points (reduced modulo the length; empty pieces dropped). */
    private static List<int[]> pieces(int length, List<Integer> cuts) {
        TreeSet<Integer> points = new TreeSet<>();
        for (int c : cuts) {
            if (length > 0) {
                points.add(c % length);
            }
        }
        points.add(0);
        points.add(length);
        List<int[]> result = new ArrayList<>();
        Integer prev = null;
        for (int p : points) {
            if (prev != null && p > prev) {
                result.add(new int[] {prev, p});
            }
            prev = p;
        }
        return result;
    }

    private static byte[] run(byte[] bytes, List<Integer> cuts, int window) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        StreamMasker masker = new StreamMasker(MASKER, window, (tag, data) -> out.writeBytes(data));
        for (int[] p : pieces(bytes.length, cuts)) {
            masker.write(p[0], bytes, p[0], p[1] - p[0]);
        }
        masker.flush();
        assertThat(masker.forcedReleases()).isZero();
        return out.toByteArray();
    }

}
