package org.ttyaudit.cli;

import org.ttyaudit.core.format.EventVisitor;
import org.ttyaudit.core.format.FormatException;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.format.Recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens record files for the commands that read them, turning every failure into a one-line error. */
final class RecordFiles {
    private RecordFiles() {
    }

    static Recording open(Path file) {
        return open(file, file.toString());
    }

    /** Opens {@code file}, naming it {@code label} in errors (a downloaded session is named by its id). */
    static Recording open(Path file, String label) {
        if (!Files.exists(file)) {
            throw UserError.usage(label + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw UserError.usage(label + ": is a directory, not a record file");
        }
        try {
            return RecordFileReader.open(file);
        } catch (FormatException e) {
            throw UserError.failure(label + ": not a readable ttyaudit record: " + e.getMessage());
        } catch (IOException e) {
            throw UserError.failure(label + ": cannot read: " + SessionRunner.reason(e));
        }
    }

    /** Warns on stderr when the record is damaged or incomplete: what follows is only its intact prefix. */
    static void warnIfPartial(Path file, Recording r, java.io.PrintWriter err) {
        warnIfPartial(file.toString(), r, err);
    }

    /** {@link #warnIfPartial(Path, Recording, java.io.PrintWriter)} naming the record {@code file}. */
    static void warnIfPartial(String file, Recording r, java.io.PrintWriter err) {
        if (!r.problems().isEmpty()) {
            err.println("ttyaudit: warning: " + file + " is damaged; showing its intact prefix only: "
                    + r.problems().get(0));
        } else if (r.tornTailBytes() > 0) {
            err.println("ttyaudit: warning: " + file + " ends in an incomplete frame (" + r.tornTailBytes()
                    + " bytes cut); showing its intact prefix");
        }
    }

    /**
     * Feeds every event of {@code r} to {@code visitor}; a damaged chunk ends the walk with a warning on
     * {@code err} (what came before it has been visited).
     */
    static void forEachEvent(String label, Recording r, EventVisitor visitor, java.io.PrintWriter err) {
        try {
            r.forEachEvent(visitor);
        } catch (FormatException e) {
            err.println("ttyaudit: warning: " + label + ": " + e.getMessage());
        }
    }
}
