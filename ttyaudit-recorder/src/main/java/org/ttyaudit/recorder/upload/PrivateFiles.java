package org.ttyaudit.recorder.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes files only their owner may read (credentials, what the server told this host), atomically. */
final class PrivateFiles {
    private PrivateFiles() {
    }

    /**
     * Replaces {@code target} with {@code bytes}: a temporary file created with mode 0600 (never more open, not
     * even for an instant) in the same directory is written, fsync'd and renamed over the target, so a reader sees
     * the old content or the new, never a mix. The directory must exist.
     */
    static void replace(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.WRITE))) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself survives a crash
        } catch (IOException ignored) {
            // Some file systems cannot sync a directory; the file's content is synced already.
        }
    }
}
