package org.ttyaudit.cli;

import org.ttyaudit.cli.remote.RemoteOptions;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.cli.remote.ServerClient;
import org.ttyaudit.cli.remote.ServerTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The FILE argument of {@code play}, {@code commands}, {@code files} and {@code export}: a record file, or the id
 * of a session on
 * a server. An argument is a session id when it is a UUID, no file of that name exists, and a server is known
 * ({@code --server}, {@code TTYAUDIT_SERVER} or a saved login); the session's record is then downloaded
 * ({@code GET /api/v1/sessions/{id}/record}) into a private temporary file (0600) that {@link #close()} deletes,
 * and the command reads it exactly as it reads a local file: one code path, and the download is checked like
 * any record (frames, hash chain) before anything is shown.
 *
 * <p>Not thread-safe; one per command run.
 */
final class RecordArgument implements AutoCloseable {
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Path file;
    private final String label;
    private final boolean temporary;

    private RecordArgument(Path file, String label, boolean temporary) {
        this.file = file;
        this.label = label;
        this.temporary = temporary;
    }

    /** Whether {@code text} has the form of a session id. */
    static boolean isSessionId(String text) {
        return UUID_TEXT.matcher(text).matches();
    }

    /** Whether {@code argument} names a session rather than a file: a session id, and no such file. */
    static boolean namesSession(Path argument) {
        return !Files.exists(argument) && isSessionId(argument.toString());
    }

    static RecordArgument resolve(Path argument, RemoteOptions remote, CliContext context) {
        String text = argument.toString();
        if (!namesSession(argument)) {
            return new RecordArgument(argument, text, false);
        }
        return download(text, remote, context, text + ": no such file (to fetch session " + text
                + " from a server, give --server URL or run ttyaudit login first)");
    }

    /**
     * The record of session {@code id}, downloaded from the server that {@code remote} names (as {@link #resolve}
     * does for an argument that is a session id).
     *
     * @throws UserError when {@code id} is not a session id or no server is known
     */
    static RecordArgument session(String id, RemoteOptions remote, CliContext context) {
        if (!isSessionId(id)) {
            throw UserError.usage("'" + id + "' is not a session id (a UUID)");
        }
        return download(id, remote, context, "no server to fetch session " + id + " from: give --server URL or "
                + "run ttyaudit login first");
    }

    private static RecordArgument download(String text, RemoteOptions remote, CliContext context,
                                           String noServer) {
        Optional<ServerTarget> target = remote.resolve(context);
        if (target.isEmpty()) {
            throw UserError.usage(noServer);
        }
        UUID id = UUID.fromString(text);
        ServerClient client = ServerClient.of(target.get().requireToken());
        Path tmp;
        try {
            tmp = Files.createTempFile(context.tempDir(), "ttyaudit-" + id + "-", ".tta",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw UserError.failure("cannot make a temporary file in " + context.tempDir() + ": "
                    + SessionRunner.reason(e));
        }
        // A backstop for an interrupted run (Ctrl-C while playing): the JVM deletes it on the way out.
        tmp.toFile().deleteOnExit();
        RecordArgument downloaded = new RecordArgument(tmp, "session " + id + " (from " + client.url() + ")", true);
        try {
            client.download("/api/v1/sessions/" + id + "/record", tmp);
        } catch (RuntimeException e) {
            downloaded.close();
            throw e;
        }
        return downloaded;
    }

    /** A record named by a FILE|ID argument, read, and how messages name it. */
    record Opened(String label, Recording recording) {
    }

    /**
     * Reads the record {@code argument} names ({@link #resolve}: a file, or a session downloaded from the server),
     * warning on {@code err} when it is damaged or incomplete; a download is deleted once read.
     */
    static Opened open(Path argument, RemoteOptions remote, CliContext context, java.io.PrintWriter err) {
        Opened opened;
        try (RecordArgument record = resolve(argument, remote, context)) {
            opened = new Opened(record.label(), RecordFiles.open(record.file(), record.label()));
        }
        RecordFiles.warnIfPartial(opened.label(), opened.recording(), err);
        return opened;
    }

    /** The record file to read. */
    Path file() {
        return file;
    }

    /** How to name the record in messages: the path given, or the session and its server. */
    String label() {
        return label;
    }

    @Override
    public void close() {
        if (temporary) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // deleteOnExit tries again
            }
        }
    }
}
