package org.ttyaudit.cli;

import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.recorder.log.DurableProgress;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.recorder.session.Recorder;
import org.ttyaudit.recorder.session.RecordingOptions;
import org.ttyaudit.recorder.session.SessionNotStartedException;
import org.ttyaudit.recorder.spool.DataDirectory;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.recorder.upload.LiveUpload;
import org.ttyaudit.recorder.upload.ServerRotation;
import org.ttyaudit.recorder.upload.UploadOutcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a recorded session for {@code record} and {@code shell}, and turns failures into one-line errors.
 *
 * <p>A record without {@code --output} goes into the spool as {@code <id>.tta}; with upload on and
 * {@code --output FILE}, a link {@code spool/<id>.tta -> FILE} is placed, so the spool lists every session
 * waiting for upload. The spool entry's live lock is taken before the entry exists and held while the session
 * runs, so no drainer touches a session that is being recorded. With upload on, a {@link LiveUpload} ships the
 * session as it is recorded; at the end it gets {@link #EXIT_WAIT} to finish, after which a background drainer
 * takes over.
 */
final class SessionRunner {
    /** How long the recorder waits at exit for the upload to finish before handing it to a background drainer. */
    static final Duration EXIT_WAIT = Duration.ofSeconds(3);

    private SessionRunner() {
    }

    /** Where to ship the session: the credential, and the file it came from (for the background drainer). */
    record Upload(HostCredential credential, Path credentialFile) {
    }

    /** @param upload null to record locally only */
    record Request(List<String> command, Path output, DataDirectory data, CapturePolicy capture,
                   boolean shellIntegration, boolean login, SecretMasker masker, Map<String, String> env,
                   boolean announcePath, Upload upload) {
    }

    static int run(Request r) {
        Spool spool = Spool.of(r.data());
        SessionId id = SessionId.newId(Clock.systemUTC());
        String name = id.toString(); // the spool entry is named after the session
        Path file;
        Spool.Entry entry = null;
        Spool.Held live = null;
        try {
            if (r.output() == null) {
                live = spool.holdLive(name);
                entry = spool.entry(name);
                file = entry.path();
            } else {
                if (Files.exists(r.output(), LinkOption.NOFOLLOW_LINKS)) {
                    throw UserError.usage("--output: " + r.output() + " already exists (records are never "
                            + "overwritten)");
                }
                file = r.output();
                if (r.upload() != null) {
                    live = spool.holdLive(name);
                    entry = spool.link(name, file);
                }
            }
        } catch (IOException e) {
            if (live != null) {
                live.close();
            }
            throw UserError.usage("cannot prepare the spool " + spool.dir() + ": " + reason(e));
        }
        RecordingOptions options = new RecordingOptions(id, r.command(), file, r.capture(), r.shellIntegration(),
                r.login(), r.masker(), r.env(), Version.current());
        IngestClient client = r.upload() == null ? null : new IngestClient(r.upload().credential(),
                new ServerRotation(r.upload().credential().servers(), SessionRunner::noteOnTerminal));
        LiveUpload upload = client == null ? null : new LiveUpload(file, client);
        Recorder recorder = new Recorder(options, System.err, Clock.systemUTC(),
                upload == null ? DurableProgress.NONE : upload);
        if (upload != null) {
            upload.start(recorder::terminate, recorder::flushWithin);
            startDrainerForOthers(spool, r);
        }
        Recorder.Result result;
        boolean uploaded = false;
        try {
            result = recorder.run();
        } catch (SessionNotStartedException e) {
            throw new UserError(e.getMessage() + " (recorded in " + e.record() + ")", Recorder.NOT_STARTED);
        } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
            throw UserError.usage("cannot write the record " + file + ": " + reason(e));
        } catch (IOException e) {
            throw UserError.failure(reason(e));
        } finally {
            if (upload != null) {
                uploaded = finishUpload(upload, spool, entry, live, file, r);
            } else if (live != null) {
                live.close();
            }
        }
        if (r.announcePath()) {
            System.err.println(uploaded ? "ttyaudit: session " + result.sessionId() + " uploaded to "
                    + client.server() : "ttyaudit: session recorded to " + result.record());
        }
        return result.exitStatus();
    }

    /**
     * A line for the user while the session may hold the terminal in raw mode (a failover of the upload): on a
     * line of its own, with CR LF, as the recorder's own notices.
     */
    private static void noteOnTerminal(String line) {
        System.err.print("\r\nttyaudit: " + line + "\r\n");
        System.err.flush();
    }

    /** Sessions other recorders left in the spool: start a drainer for them if none runs. */
    private static void startDrainerForOthers(Spool spool, Request r) {
        try {
            BackgroundDrainer.startIfPending(spool, r.data(), r.upload().credentialFile());
        } catch (IOException e) {
            System.err.println("ttyaudit: cannot start uploading the sessions waiting in " + spool.dir() + ": "
                    + reason(e));
        }
    }

    /**
     * Gives the upload {@link #EXIT_WAIT} to finish; acts on the outcome in the spool, or hands the session to a
     * background drainer. Releases the entry's live lock. Returns whether the server holds the whole session.
     */
    private static boolean finishUpload(LiveUpload upload, Spool spool, Spool.Entry entry, Spool.Held live,
                                        Path file, Request r) {
        upload.closed(); // the sink says so too; this covers a record that was never created
        Optional<UploadOutcome> outcome;
        try {
            outcome = upload.await(EXIT_WAIT);
            if (outcome.isEmpty()) {
                upload.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Optional.empty();
        }
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                spool.remove(entry); // nothing was recorded: only the link and the lock to clear
                return false;
            }
            if (outcome.isEmpty()) {
                live.close(); // the session is no longer live: a drainer may take it now
                Path log = BackgroundDrainer.start(r.data(), r.upload().credentialFile());
                System.err.println("ttyaudit: the upload of this session continues in the background (log: "
                        + log + ")");
                return false;
            }
            UploadOutcome o = outcome.get();
            if (o instanceof UploadOutcome.Uploaded) {
                spool.remove(entry);
                return true;
            }
            if (o instanceof UploadOutcome.Refused f && !f.hostRefused()) {
                spool.markFailed(entry, f.reason());
            }
            System.err.println("ttyaudit: the session was not uploaded (" + o.describe() + "); the record stays in "
                    + file);
        } catch (IOException e) {
            System.err.println("ttyaudit: cannot update the spool " + spool.dir() + ": " + reason(e));
        } finally {
            live.close();
        }
        return false;
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
