package org.ttyaudit.server.blob.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.testkit.ChildJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code putAll} acknowledged survives a SIGKILL of the process, and no blob is ever partly written. */
class DirectoryBlobStoreKillTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBatchSurvivesKillMinus9AndNoBlobIsTorn() throws Exception {
        Path root = dir.resolve("blobs");
        List<String> printed;
        try (ChildJvm child = ChildJvm.start(dir, BlobCrashWriter.class, root.toString())) {
            child.awaitLines(30, Duration.ofSeconds(60));
            printed = child.killAndCollect();
        }

        try (BlobStore blobs = DirectoryBlobStore.open(root)) {
            int last = -1;
            for (String line : printed) {
                int i = Integer.parseInt(line);
                last = Math.max(last, i);
                for (int j = 0; j < BlobCrashWriter.BATCH; j++) {
                    byte[] expected = BlobCrashWriter.content(i, j);
                    assertThat(blobs.get(BlobCrashWriter.key(i, j))).as("batch %d blob %d", i, j)
                            .hasValueSatisfying(b -> assertThat(b).isEqualTo(expected));
                }
            }
            // the interrupted batch: each of its blobs is whole or absent
            int next = last + 1;
            for (int j = 0; j < BlobCrashWriter.BATCH; j++) {
                int blob = j;
                blobs.get(BlobCrashWriter.key(next, j)).ifPresent(b ->
                        assertThat(b).isEqualTo(BlobCrashWriter.content(next, blob)));
            }
            byte[] latest = blobs.get("latest").orElseThrow();
            assertThat(latest).satisfiesAnyOf(
                    b -> assertThat(b).isEqualTo(BlobCrashWriter.content(next - 1, 99)),
                    b -> assertThat(b).isEqualTo(BlobCrashWriter.content(next, 99)));
        }
        try (Stream<Path> files = Files.walk(root)) {
            // left-over temporary files may exist (harmless); every real blob is one of the expected names
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !n.contains("~"))).allMatch(n -> n.equals("latest") || n.matches("\\d+-\\d+"));
        }
    }
}
