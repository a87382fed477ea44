package org.ttyaudit.server.blob;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link BlobStore} must have: round trips of any bytes (empty, binary, large) alone and in
 * batches, overwrite, delete, missing keys, strict key checks, whole values under concurrency, and durability
 * across close and reopen.
 *
 * <p>An implementation's test extends this class and implements {@link #openBlobStore()}.
 */
public abstract class BlobStoreContract {

    /**
     * Opens the blob store under test. Within one test, every call must open the same storage (empty at the
     * test's first call), so that a test can close the store and open it again.
     */
    protected abstract BlobStore openBlobStore();

    protected BlobStore blobs;

    @BeforeEach
    void openTheBlobStore() {
        blobs = openBlobStore();
    }

    @AfterEach
    void closeTheBlobStore() {
        if (blobs != null) {
            blobs.close();
        }
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aBlobReadsBackAsWritten() {
        blobs.put("sessions/0193a0b2-0000-7000-8000-000000000001/0", bytes("chunk zero"));

        assertThat(blobs.get("sessions/0193a0b2-0000-7000-8000-000000000001/0")).hasValueSatisfying(
                b -> assertThat(b).isEqualTo(bytes("chunk zero")));
    }

    @Test
    void anyBytesRoundTripIncludingEmptyAndLargeOnes() {
        byte[] everyByte = new byte[256 * 4];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("empty", new byte[0]);
        entries.put("one", new byte[] {0});
        entries.put("every/byte", everyByte);
        entries.put("large/4MiB", random(1, 4 * 1024 * 1024 + 3));
        entries.put("A-Z_a-z.0-9/..dots../x.y", bytes("names with dots, dashes and underscores"));

        blobs.putAll(entries);

        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            assertThat(blobs.get(e.getKey())).as(e.getKey()).hasValueSatisfying(
                    b -> assertThat(b).isEqualTo(e.getValue()));
        }
    }

    @Test
    void anEmptyBlobIsNotAMissingOne() {
        blobs.put("e", new byte[0]);

        assertThat(blobs.get("e")).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(blobs.get("f")).isEmpty();
    }

    @Test
    void aBatchOfManyBlobsIsStoredWhole() {
        Map<String, byte[]> entries = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            entries.put("sessions/s" + (i % 7) + "/" + i, random(i, i * 13 % 5000));
        }

        blobs.putAll(entries);

        entries.forEach((key, value) -> assertThat(blobs.get(key)).as(key)
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(value)));
        blobs.putAll(Map.of());
    }

    @Test
    void puttingAKeyAgainReplacesItsBytes() {
        blobs.put("k/1", bytes("first"));
        blobs.put("k/1", bytes("first"));
        assertThat(blobs.get("k/1")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("first")));

        blobs.putAll(Map.of("k/1", bytes("second, longer"), "k/2", bytes("other")));
        assertThat(blobs.get("k/1")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("second, longer")));

        blobs.put("k/1", new byte[0]);
        assertThat(blobs.get("k/1")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    }

    @Test
    void theStoreKeepsItsOwnCopyOfTheBytes() {
        byte[] b = bytes("original");
        blobs.put("copy", b);
        b[0] = 'X';

        byte[] read = blobs.get("copy").orElseThrow();
        read[1] = 'Y';

        assertThat(blobs.get("copy")).hasValueSatisfying(r -> assertThat(r).isEqualTo(bytes("original")));
    }

    @Test
    void deleteRemovesTheKeyAndIgnoresMissingOnes() {
        blobs.putAll(Map.of("d/1", bytes("a"), "d/2", bytes("b")));

        blobs.delete("d/1");
        blobs.delete("d/1");
        blobs.delete("never/there");

        assertThat(blobs.get("d/1")).isEmpty();
        assertThat(blobs.get("d/2")).isPresent();
        blobs.put("d/1", bytes("again"));
        assertThat(blobs.get("d/1")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("again")));
    }

    @Test
    void aMissingKeyIsEmpty() {
        assertThat(blobs.get("nothing")).isEmpty();
        assertThat(blobs.get("no/such/prefix/either")).isEmpty();
    }

    /** Keys the contract refuses, for every operation. */
    protected List<String> badKeys() {
        return List.of("", "/absolute", "a//b", "a/", "/", "../escape", "a/../../b", "..", ".", "a/./b",
                "with space", "tab\tkey", "new\nline", "ümlaut", "back\\slash", "colon:key", "tilde~key", "star*",
                "x".repeat(513), "ok/" + "y".repeat(201));
    }

    @Test
    void badKeysAreRefusedByEveryOperationNamingTheKey() {
        for (String key : badKeys()) {
            String shown = key.length() > 20 ? key.substring(0, 20) : key;
            String visible = shown.replaceAll("\\p{Cntrl}", "?");
            assertThatThrownBy(() -> blobs.put(key, bytes("x"))).as("put %s", key)
                    .isInstanceOf(BlobStoreException.class).hasMessageContaining(visible);
            assertThatThrownBy(() -> blobs.get(key)).as("get %s", key)
                    .isInstanceOf(BlobStoreException.class).hasMessageContaining(visible);
            assertThatThrownBy(() -> blobs.delete(key)).as("delete %s", key)
                    .isInstanceOf(BlobStoreException.class).hasMessageContaining(visible);
        }
        Map<String, byte[]> withNull = new HashMap<>();
        withNull.put(null, bytes("x"));
        assertThatThrownBy(() -> blobs.putAll(withNull)).isInstanceOf(BlobStoreException.class);
        assertThatThrownBy(() -> blobs.get(null)).isInstanceOf(BlobStoreException.class);
    }

    @Test
    void aBatchWithABadKeyStoresNothing() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("good/1", bytes("1"));
        entries.put("good/2", bytes("2"));
        entries.put("bad/../key", bytes("3"));

        assertThatThrownBy(() -> blobs.putAll(entries)).isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("bad/../key");

        assertThat(blobs.get("good/1")).isEmpty();
        assertThat(blobs.get("good/2")).isEmpty();
    }

    @Test
    void aLongestKeyIsAccepted() {
        String key = ("a".repeat(199) + "/").repeat(2) + "b".repeat(512 - 400);
        assertThat(key).hasSize(512);

        blobs.put(key, bytes("long"));

        assertThat(blobs.get(key)).isPresent();
    }

    @Test
    void readersSeeWholeValuesWhileWritersReplaceThem() throws Exception {
        // each value is one byte repeated, of a length that goes with that byte: a torn or mixed read shows
        int writers = 3;
        AtomicBoolean stop = new AtomicBoolean();
        blobs.put("hot", value(0));
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        blobs.putAll(Map.of("hot", value(writer * 50 + i), "cold/" + writer + "/" + i,
                                value(i)));
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    while (!stop.get() || reads == 0) {
                        byte[] b = blobs.get("hot").orElseThrow();
                        int v = b[0] & 0xff;
                        assertThat(b).hasSize(length(v));
                        for (byte x : b) {
                            assertThat(x & 0xff).isEqualTo(v);
                        }
                        reads++;
                    }
                    return reads;
                }));
            }
            for (Future<?> t : tasks) {
                t.get(60, TimeUnit.SECONDS);
            }
            stop.set(true);
            for (Future<Integer> r : readers) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < 30; i++) {
                assertThat(blobs.get("cold/" + w + "/" + i)).hasValueSatisfying(
                        b -> assertThat(b).hasSize(b.length == 0 ? 0 : length(b[0] & 0xff)));
            }
        }
    }

    private static int length(int v) {
        return 1 + v * 97 % 20_000;
    }

    private static byte[] value(int v) {
        byte[] b = new byte[length(v)];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void concurrentBatchesOfDifferentKeysAreAllStored() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                tasks.add(pool.submit(() -> {
                    go.await();
                    for (int batch = 0; batch < 5; batch++) {
                        Map<String, byte[]> entries = new HashMap<>();
                        for (int i = 0; i < 10; i++) {
                            // every thread writes into the same directories
                            entries.put("shared/" + batch + "/" + thread + "-" + i, bytes(thread + "/" + i));
                        }
                        blobs.putAll(entries);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> t : tasks) {
                t.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < 4; t++) {
            for (int batch = 0; batch < 5; batch++) {
                for (int i = 0; i < 10; i++) {
                    Optional<byte[]> b = blobs.get("shared/" + batch + "/" + t + "-" + i);
                    assertThat(b).hasValueSatisfying(v -> assertThat(v).isNotEmpty());
                }
            }
        }
    }

    @Test
    void blobsSurviveCloseAndReopen() {
        blobs.putAll(Map.of("keep/1", random(7, 1000), "keep/2", new byte[0], "gone", bytes("x")));
        blobs.delete("gone");

        blobs.close();
        blobs = null;
        blobs = openBlobStore();

        assertThat(blobs.get("keep/1")).hasValueSatisfying(b -> assertThat(b).isEqualTo(random(7, 1000)));
        assertThat(blobs.get("keep/2")).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(blobs.get("gone")).isEmpty();
    }

    @Test
    void aClosedStoreRefusesWork() {
        blobs.close();
        BlobStore closed = blobs;
        blobs = null;

        assertThatThrownBy(() -> closed.put("k", bytes("x"))).isInstanceOf(BlobStoreException.class);
        assertThatThrownBy(() -> closed.get("k")).isInstanceOf(BlobStoreException.class);
    }
}
