package org.ttyaudit.cli.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file's content all at once: a temporary file in the same directory, then a rename, so a crash or a
 * reader (login, sshd) never sees half a file. A replaced file keeps its mode and owner.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Writes {@code content} to {@code file}; its mode is the old file's, else {@code newMode} (e.g. "rw-r--r--").
     * Missing parent directories are made with mode 0755.
     */
    static void write(Path file, byte[] content, String newMode) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(newMode);
        PosixFileAttributes old = Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                ? Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS) : null;
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, content);
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (old != null) {
                view.setOwner(old.owner());
                view.setGroup(old.group());
                mode = old.permissions();
            }
            // After the owner: changing the owner may clear set-id bits.
            view.setPermissions(mode);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
