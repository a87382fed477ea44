package org.ttyaudit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.ttyaudit.cli.remote.ClientConfigFile;
import org.ttyaudit.cli.remote.ServerClient;
import org.ttyaudit.cli.remote.ServerTarget;
import org.ttyaudit.core.interop.ImportFormat;
import org.ttyaudit.core.interop.ImportFormatException;
import org.ttyaudit.core.interop.SessionSource;
import org.ttyaudit.core.interop.SourceDigest;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.recorder.pty.FileDescriptors;
import org.ttyaudit.recorder.session.HostFacts;
import org.ttyaudit.recorder.spool.DataDirectory;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.HostCredential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit import PATH --format asciicast|sudo|tlog [--server URL] [--output FILE]}: turns another
 * recorder's session log into a ttyaudit record of kind {@code import} (docs/INTEROP.md).
 *
 * <p>Without {@code --output} the record goes into the spool, like {@code record}'s, so {@code ttyaudit upload}
 * ships it later. With {@code --server} it is uploaded at once with the host's credential, through the same
 * ingest path as every recorded session, so the server indexes it and gives it ledger leaves.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a session recorded by another tool: asciinema (asciicast v2/v3), a sudo I/O log "
                + "directory, or tlog JSON messages.",
                "Prints where the record is; with --server, uploads it to the audit server."})
final class ImportCommand implements Callable<Integer> {
    /** The {@link ImportHistory} scope of an import. */
    static final String IMPORT_SCOPE = "import";
    private final CliContext context;

    @Parameters(paramLabel = "PATH", description = "The asciicast file, the sudo I/O log directory (e.g. "
            + "/var/log/sudo-io/00/00/01), or the tlog file.")
    Path path;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "asciicast, sudo or tlog.")
    String format;

    @Option(names = "--server", paramLabel = "URL",
            description = "Upload the session to this audit server (the host must be enrolled with it: 'ttyaudit enroll').")
    String server;

    @Option(names = "--credential-file", paramLabel = "PATH",
            description = "Host credential file for --server (default: /etc/ttyaudit/host.json for root, else ~/.config/ttyaudit/host.json).")
    Path credentialFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Record file to create (must not exist). Default: a new file in the spool of the data directory.")
    Path output;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory (default: $TTYAUDIT_DATA_DIR, $XDG_DATA_HOME/ttyaudit or ~/.local/share/ttyaudit).")
    Path dataDir;

    @Option(names = "--masking", paramLabel = "FILE",
            description = "Secret-masking rules to use instead of the defaults (see docs/MASKING.md).")
    Path masking;

    @Option(names = "--user", paramLabel = "NAME", description = "The user, when the log names none (asciicast). Default: you.")
    String user;

    @Option(names = "--host", paramLabel = "NAME", description = "The host, when the log names none (asciicast). Default: this host.")
    String host;

    @Option(names = "--force", description = "Import even when this file (the same SHA-256) was imported into this "
            + "data directory's spool or to a server from it before: another session of the same content.")
    boolean force;

    @Spec
    CommandSpec spec;

    ImportCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImportFormat fmt = parseFormat();
        HostCredential credential = ImportUpload.credential(server, credentialFile);
        SecretMasker masker = Masking.load(masking);
        if (!Files.exists(path)) {
            throw UserError.usage(path + ": no such file or directory");
        }
        if (output != null && Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            throw UserError.usage("--output: " + output + " already exists (records are never overwritten)");
        }
        SourceDigest digest = digest();
        DataDirectory data = DataDirectory.resolve(dataDir, context.env());
        // A record that goes to the spool or the server becomes a session there; one written only to --output is
        // the user's file, made as often as asked.
        ImportHistory history = output != null && credential == null ? null : ImportHistory.of(data);
        Optional<String> earlier = force || history == null ? Optional.empty()
                : history.find(digest.sha256(), IMPORT_SCOPE).or(() -> onServer(credential, digest, err));
        if (earlier.isPresent()) {
            out.println("ttyaudit: " + path + ": already imported as session " + earlier.get()
                    + " (the same SHA-256; --force imports it again)");
            return 0;
        }
        Instant now = context.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        String me = HostFacts.userName(context.env());
        SessionImporter.Defaults defaults = new SessionImporter.Defaults(user != null ? user : me,
                host != null ? host : HostFacts.hostName(), me, now);
        try (SessionSource source = fmt.open(path)) {
            SessionHeader header = SessionImporter.header(source.metadata(), path, digest, defaults, Version.current());
            ImportDestination dest = ImportDestination.prepare(header.sessionId().toString(), output, credential != null,
                    Spool.of(data));
            SessionImporter.Result result;
            try (ImportProgress progress = ImportProgress.start(path.getFileName().toString(), digest.bytes(),
                    FileDescriptors.isTerminal(2), columns(), System.err)) {
                result = SessionImporter.write(source, header, dest.file(), masker, progress);
            } catch (ImportFormatException e) {
                dest.discard();
                throw UserError.failure(e.getMessage());
            } catch (IOException | RuntimeException e) {
                dest.discard();
                throw e;
            }
            if (history != null) {
                history.add(digest.sha256(), IMPORT_SCOPE, header.sessionId().toString());
            }
            for (String note : result.notes()) {
                err.println("ttyaudit: note: " + path + ": " + note);
            }
            String what = path + " (" + source.metadata().format() + ", " + result.events() + " events, "
                    + seconds(header, result) + ") as session " + header.sessionId();
            if (credential == null) {
                dest.release();
                out.println("ttyaudit: imported " + what + ": " + dest.file());
                return 0;
            }
            return upload(credential, dest, what, out, err);
        } catch (ImportFormatException e) {
            throw UserError.failure(e.getMessage());
        } catch (IOException e) {
            throw UserError.failure(path + ": " + SessionRunner.reason(e));
        }
    }

    /**
     * With --server and a login for it ('ttyaudit login' or $TTYAUDIT_TOKEN; the host credential may not list
     * sessions): an import of the same file already there, as far as that login may see. Without a login, or when
     * the server cannot answer, none (with a note for the latter): the upload is what was asked for.
     */
    private Optional<String> onServer(HostCredential credential, SourceDigest digest, PrintWriter err) {
        if (credential == null) {
            return Optional.empty();
        }
        ClientConfigFile config = ClientConfigFile.locate(context.env());
        Optional<ServerTarget> target;
        try {
            target = ServerTarget.resolve(server, null, context.env(), config.read(), config.path().toString());
        } catch (UserError e) {
            return Optional.empty();   // a URL no login can use (plain http, say): the upload says what is wrong
        }
        target = target.filter(t -> t.token() != null)
                // the server's certificate as the host credential pins it, unless the login names one
                .map(t -> t.fingerprint() != null ? t
                        : new ServerTarget(t.url(), credential.fingerprint(), t.token(), t.tokenOrigin()));
        if (target.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode page = ServerClient.of(target.get()).getJson("/api/v1/sessions",
                    Map.of("kind", "import", "tag", "import_sha256:" + digest.sha256(), "limit", "1"));
            JsonNode first = page.path("items").path(0);
            return first.isMissingNode() ? Optional.empty() : Optional.of(first.path("id").asText());
        } catch (RuntimeException e) {
            err.println("ttyaudit: note: could not ask " + server + " for an earlier import of " + path + ": "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    private int upload(HostCredential credential, ImportDestination dest, String what, PrintWriter out, PrintWriter err)
            throws IOException {
        String failure = ImportUpload.upload(credential, dest);
        if (failure == null) {
            out.println("ttyaudit: imported " + what + " and uploaded it to " + credential.server()
                    + (output != null ? "; the record is also in " + output : ""));
            return 0;
        }
        err.println("ttyaudit: imported " + what + ", but it was not uploaded (" + failure
                + "); the record stays in " + dest.file() + " and 'ttyaudit upload' retries it");
        return Main.EXIT_FAILURE;
    }

    private ImportFormat parseFormat() {
        try {
            return ImportFormat.fromCliName(format);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--format: " + e.getMessage());
        }
    }

    private SourceDigest digest() {
        try {
            return SourceDigest.of(path);
        } catch (IOException e) {
            throw UserError.failure(path + ": cannot read: " + SessionRunner.reason(e));
        }
    }

    private int columns() {
        return context.env("COLUMNS").filter(c -> c.matches("[0-9]{2,4}")).map(Integer::parseInt).orElse(80);
    }

    private static String seconds(SessionHeader header, SessionImporter.Result result) {
        Duration d = Duration.between(header.startedAt(), result.end().endedAt());
        return String.format("%d.%03d s", d.getSeconds(), d.toMillisPart());
    }
}
