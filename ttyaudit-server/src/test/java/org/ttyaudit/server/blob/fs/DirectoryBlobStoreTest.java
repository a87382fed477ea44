package org.ttyaudit.server.blob.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.blob.BlobStoreContract;
import org.ttyaudit.server.blob.BlobStoreException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The blob contract on a directory, and what is particular to files: paths, modes, temporary files. */
class DirectoryBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    private Path root() {
        return dir.resolve("blobs");
    }

    @Override
    protected BlobStore openBlobStore() {
        return DirectoryBlobStore.open(root());
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> s = Files.walk(root())) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aKeyIsAFileUnderTheRoot() throws IOException {
        blobs.put("sessions/abc/7", bytes("seven"));

        assertThat(Files.readString(root().resolve("sessions/abc/7"))).isEqualTo("seven");
        assertThat(allFiles()).containsExactly(root().resolve("sessions/abc/7"));
    }

    @Test
    void filesAreMode0640AndDirectories0750AtMost() throws IOException {
        blobs.putAll(Map.of("a/b/c", bytes("x"), "a/d", bytes("y")));

        for (Path p : List.of(root().resolve("a/b/c"), root().resolve("a/d"))) {
            assertThat(Files.getPosixFilePermissions(p)).as(p.toString())
                    .isSubsetOf(PosixFilePermissions.fromString("rw-r-----"));
        }
        for (Path p : List.of(root(), root().resolve("a"), root().resolve("a/b"))) {
            assertThat(Files.getPosixFilePermissions(p)).as(p.toString())
                    .isSubsetOf(PosixFilePermissions.fromString("rwxr-x---"));
        }
    }

    @Test
    void noTemporaryFileIsLeftBehind() throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            entries.put("t/" + (i % 3) + "/" + i, random(i, 100));
        }
        blobs.putAll(entries);
        blobs.putAll(entries);

        assertThat(allFiles()).hasSize(50).noneMatch(p -> p.getFileName().toString().contains("~"));
    }

    @Test
    void aFailedBatchLeavesNoTemporaryFile() throws IOException {
        blobs.put("taken", bytes("a file where a directory is needed"));

        assertThatThrownBy(() -> blobs.putAll(Map.of("ok/1", bytes("1"), "taken/child", bytes("2"))))
                .isInstanceOf(BlobStoreException.class).hasMessageContaining("taken/child");

        assertThat(allFiles()).noneMatch(p -> p.getFileName().toString().contains("~"));
    }

    @Test
    void aBlobThatCannotBeReadIsAnErrorNotAMissingBlob() {
        blobs.put("dir/file", bytes("x"));

        assertThatThrownBy(() -> blobs.get("dir")).isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("dir");
    }

    @Test
    void theRootIsCreatedWhenAbsentAndMustBeADirectory() throws IOException {
        Path nested = dir.resolve("x/y/z");
        try (BlobStore b = DirectoryBlobStore.open(nested)) {
            b.put("k", bytes("v"));
        }
        assertThat(nested.resolve("k")).hasContent("v");

        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> DirectoryBlobStore.open(file)).isInstanceOf(BlobStoreException.class)
                .hasMessageContaining(file.toString());
    }
}
