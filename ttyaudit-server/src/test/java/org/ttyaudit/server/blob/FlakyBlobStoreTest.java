package org.ttyaudit.server.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlakyBlobStoreTest {
    @TempDir
    Path dir;

    @Test
    void theFirstPutOfNewKeysFailsAndStoresNothingTheRetrySucceeds() {
        try (FlakyBlobStore blobs = new FlakyBlobStore(DirectoryBlobStore.open(dir))) {
            Map<String, byte[]> batch = Map.of("a", "1".getBytes(StandardCharsets.UTF_8), "b", new byte[0]);

            assertThatThrownBy(() -> blobs.putAll(batch)).isInstanceOf(BlobStoreException.class);
            assertThat(blobs.get("a")).isEmpty();

            blobs.putAll(batch);
            assertThat(blobs.get("a")).hasValueSatisfying(v -> assertThat(v).containsExactly('1'));

            assertThatThrownBy(() -> blobs.putAll(Map.of("a", new byte[1], "c", new byte[1])))
                    .as("one new key is enough").isInstanceOf(BlobStoreException.class);
            assertThat(blobs.get("a")).hasValueSatisfying(v -> assertThat(v).containsExactly('1'));
            assertThat(blobs.failures()).isEqualTo(2);
        }
    }
}
