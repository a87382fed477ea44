package org.ttyaudit.cli;

import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.UploadOutcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an import writes its record, and the spool bookkeeping around it. The spool holds the record (no
 * {@code --output}) or a link to it ({@code --output} with {@code --server}), so that {@code ttyaudit upload}
 * ships whatever an upload left behind; the entry's live lock is held while the record is written, so no drainer
 * ships half an import.
 */
final class ImportDestination {
    private final Path file;
    private final Spool spool;
    private final Spool.Entry entry;
    private final Spool.Held live;

    private ImportDestination(Path file, Spool spool, Spool.Entry entry, Spool.Held live) {
        this.file = file;
        this.spool = spool;
        this.entry = entry;
        this.live = live;
    }

    /** Takes the spool entry {@code name} where one is needed. */
    static ImportDestination prepare(String name, Path output, boolean upload, Spool spool) {
        if (output != null && !upload) {
            return new ImportDestination(output, spool, null, null);
        }
        Spool.Held live = null;
        try {
            live = spool.holdLive(name);
            Spool.Entry entry = output == null ? spool.entry(name) : spool.link(name, output);
            return new ImportDestination(output == null ? entry.path() : output, spool, entry, live);
        } catch (IOException e) {
            if (live != null) {
                live.close();
            }
            throw UserError.failure("cannot prepare the spool " + spool.dir() + ": " + SessionRunner.reason(e));
        }
    }

    Path file() {
        return file;
    }

    /** The import failed: nothing of it stays, neither the record nor its spool entry. */
    void discard() {
        try {
            Files.deleteIfExists(file);
            if (entry != null) {
                spool.remove(entry);
            }
        } catch (IOException e) {
            System.err.println("ttyaudit: cannot remove the partial record " + file + ": " + SessionRunner.reason(e));
        } finally {
            release();
        }
    }

    /** The record is complete: drainers may take it now. */
    void release() {
        if (live != null) {
            live.close();
        }
    }

    /** The server holds the session: the spool entry goes (a record kept with --output stays). */
    void uploaded() throws IOException {
        try {
            if (entry != null) {
                spool.remove(entry);
            }
        } finally {
            release();
        }
    }

    /** The upload failed: the entry stays for {@code ttyaudit upload}, marked when the server refused it for good. */
    void notUploaded(UploadOutcome outcome) throws IOException {
        try {
            if (entry != null && outcome instanceof UploadOutcome.Refused f && !f.hostRefused()) {
                spool.markFailed(entry, f.reason());
            }
        } finally {
            release();
        }
    }
}
