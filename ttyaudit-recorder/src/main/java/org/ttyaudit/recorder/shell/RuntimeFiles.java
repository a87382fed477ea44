package org.ttyaudit.recorder.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.InputStream;
import java.util.Set;

/** Writes the generated init scripts: private directories (0700) and files (0600), resources from the jar. */
final class RuntimeFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private RuntimeFiles() {
    }

    static void createPrivateDir(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException("runtime directory is a symbolic link: " + dir);
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
        }
        Files.setPosixFilePermissions(dir, DIR);
    }

    static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE)),
                text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);
        Files.setPosixFilePermissions(file, FILE);
    }

    /** A script shipped next to this class, e.g. {@code bashrc}. */
    static String resource(String name) {
        try (InputStream in = RuntimeFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource org/ttyaudit/recorder/shell/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name + ": " + e.getMessage(), e);
        }
    }

    /** {@code text} as one single-quoted word for bash and zsh. */
    static String quote(String text) {
        return "'" + noNul(text).replace("'", "'\\''") + "'";
    }

    /** {@code text} as one single-quoted word for fish, where {@code \\} and {@code \'} are escapes. */
    static String quoteFish(String text) {
        return "'" + noNul(text).replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String noNul(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("value contains a NUL character");
        }
        return text;
    }
}
