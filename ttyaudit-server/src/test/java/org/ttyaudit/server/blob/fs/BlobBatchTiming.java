package org.ttyaudit.server.blob.fs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A manual measurement, not a test: how long one {@code putAll} of 500 blobs of 4 KiB takes, against 500
 * single puts. Run with the test classpath: {@code java -cp … org.ttyaudit.server.blob.fs.BlobBatchTiming [dir]}.
 */
public final class BlobBatchTiming {
    private BlobBatchTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of("."), "blob-timing");
        try {
            byte[] bytes = new byte[4096];
            new Random(1).nextBytes(bytes);
            for (int round = 0; round < 5; round++) {
                try (DirectoryBlobStore blobs = DirectoryBlobStore.open(base.resolve("r" + round))) {
                    Map<String, byte[]> batch = new HashMap<>();
                    for (int i = 0; i < 500; i++) {
                        // 500 chunks of 50 sessions: 50 directories, as a busy ingest group would write them
                        batch.put("sessions/s" + (i % 50) + "/" + i, bytes);
                    }
                    long t0 = System.nanoTime();
                    blobs.putAll(batch);
                    long batched = System.nanoTime() - t0;
                    t0 = System.nanoTime();
                    for (Map.Entry<String, byte[]> e : batch.entrySet()) {
                        blobs.put("single/" + e.getKey(), e.getValue());
                    }
                    long single = System.nanoTime() - t0;
                    System.out.printf("round %d: putAll(500 x 4 KiB) %.1f ms, 500 x put %.1f ms%n", round,
                            batched / 1e6, single / 1e6);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
