package org.ttyaudit.cli.install;

import org.ttyaudit.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A whole file {@code ttyaudit install} writes (a unit, an sshd drop-in, a wrapper script) or removes. Its
 * content carries {@link #MARKER} in a comment; a file without the marker was written by someone else and is
 * never overwritten or deleted: the step refuses, saying why, and the administrator decides.
 */
record ManagedFile(Path file, String content, String mode, boolean present) implements Step {
    /** The text every file written by {@code ttyaudit install} contains (in a comment near its top). */
    static final String MARKER = "Written by 'ttyaudit install'";

    ManagedFile {
        if (present && !content.contains(MARKER)) {
            throw new IllegalArgumentException("managed content without the marker: " + file);
        }
    }

    static ManagedFile present(Path file, String content, String mode) {
        return new ManagedFile(file, content, mode, true);
    }

    static ManagedFile absent(Path file) {
        return new ManagedFile(file, null, null, false);
    }

    /** True when {@code file} exists and was written by {@code ttyaudit install}. */
    static boolean ours(Path file) throws IOException {
        return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).contains(MARKER);
    }

    @Override
    public Outcome apply(boolean dryRun) throws IOException {
        boolean exists = Files.exists(file);
        if (exists && !ours(file)) {
            throw UserError.failure(file + " exists and was not written by ttyaudit install (it has no '" + MARKER
                    + "' line); leaving it alone — move it away or merge it by hand");
        }
        if (!present) {
            if (!exists) {
                return Outcome.already(file + " does not exist");
            }
            if (!dryRun) {
                Files.delete(file);
            }
            return Outcome.changed("removed " + file);
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (exists && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            return Outcome.already(file + " is up to date");
        }
        if (!dryRun) {
            AtomicFiles.write(file, bytes, mode);
            // A rewritten managed file gets the mode this version of ttyaudit means it to have.
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
        }
        return Outcome.changed((exists ? "updated " : "wrote ") + file);
    }
}
