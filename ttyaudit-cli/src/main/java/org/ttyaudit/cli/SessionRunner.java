package org.ttyaudit.cli;

import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.recorder.session.CaptureMode;
import org.ttyaudit.recorder.session.Recorder;
import org.ttyaudit.recorder.session.RecordingOptions;
import org.ttyaudit.recorder.session.SessionNotStartedException;
import org.ttyaudit.recorder.spool.DataDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Runs a recorded session for {@code record} and {@code shell}, and turns failures into one-line errors. */
final class SessionRunner {
    private SessionRunner() {
    }

    record Request(List<String> command, Path output, DataDirectory data, CaptureMode capture,
                   boolean shellIntegration, boolean login, SecretMasker masker, Map<String, String> env,
                   boolean announcePath) {
    }

    static int run(Request r) {
        Path file = r.output();
        try {
            if (file == null) {
                file = r.data().newRecordPath(SessionId.newId(Clock.systemUTC()));
            } else if (Files.exists(file)) {
                throw UserError.usage("--output: " + file + " already exists (records are never overwritten)");
            }
        } catch (IOException e) {
            throw UserError.usage("cannot create the spool directory " + r.data().spool() + ": " + reason(e));
        }
        RecordingOptions options = new RecordingOptions(r.command(), file, r.capture(), r.shellIntegration(),
                r.login(), r.masker(), r.env(), Version.current());
        Recorder.Result result;
        try {
            result = new Recorder(options, System.err, Clock.systemUTC()).run();
        } catch (SessionNotStartedException e) {
            throw new UserError(e.getMessage() + " (recorded in " + e.record() + ")", Recorder.NOT_STARTED);
        } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
            throw UserError.usage("cannot write the record " + file + ": " + reason(e));
        } catch (IOException e) {
            throw UserError.failure(reason(e));
        }
        if (r.announcePath()) {
            System.err.println("ttyaudit: session recorded to " + result.record());
        }
        return result.exitStatus();
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "file already exists";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
