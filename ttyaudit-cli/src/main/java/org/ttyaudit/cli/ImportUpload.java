package org.ttyaudit.cli;

import org.ttyaudit.recorder.upload.Backoff;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.recorder.upload.RecordProgress;
import org.ttyaudit.recorder.upload.Sleeper;
import org.ttyaudit.recorder.upload.SpoolUploader;
import org.ttyaudit.recorder.upload.UploadOutcome;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Uploading a record the CLI made itself ({@code import}, {@code ingest-audit}) at once with the host's
 * credential, through the ordinary ingest path, so the server indexes it and gives it ledger leaves.
 */
final class ImportUpload {
    private ImportUpload() {
    }

    /**
     * The credential for {@code --server}, which must be a server this host is enrolled with (any of its list: the
     * upload fails over along it as every upload does); null without it.
     */
    static HostCredential credential(String server, Path credentialFile) {
        if (server == null) {
            if (credentialFile != null) {
                throw UserError.usage("--credential-file is for --server");
            }
            return null;
        }
        URI url;
        try {
            url = HostCredential.parseServer(server);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--server: " + e.getMessage());
        }
        Path file = Credentials.location(credentialFile);
        HostCredential credential = Credentials.load(file, Main.EXIT_USAGE);
        if (!credential.servers().contains(url)) {
            throw UserError.usage("--server: this host is enrolled with " + EnrollCommand.Enrollment.describe(
                    credential.servers()) + ", not " + url
                    + " (" + file + "); enroll with " + url + " first, or name its credential with --credential-file");
        }
        return credential;
    }

    /**
     * Uploads {@code dest}'s record (three attempts) and settles the spool: removed when uploaded, else kept with
     * the spool's note for {@code ttyaudit upload}. Null when uploaded, else what went wrong.
     */
    static String upload(HostCredential credential, ImportDestination dest) throws IOException {
        UploadOutcome outcome;
        try {
            outcome = new SpoolUploader(dest.file(), RecordProgress.finished(Files.size(dest.file())),
                    new IngestClient(credential), new Backoff(), Sleeper.SYSTEM, SpoolUploader.Settings.attempts(3),
                    new SpoolUploader.Listener() {
                    }).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dest.release();
            throw UserError.failure("interrupted; the record stays in " + dest.file() + " for 'ttyaudit upload'");
        }
        if (outcome instanceof UploadOutcome.Uploaded) {
            dest.uploaded();
            return null;
        }
        dest.notUploaded(outcome);
        return outcome.describe();
    }
}
