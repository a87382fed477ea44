package org.ttyaudit.cli;

import org.ttyaudit.cli.remote.ClientConfigFile;
import org.ttyaudit.cli.remote.RemoteOptions;
import org.ttyaudit.cli.remote.RemoteVerifier;
import org.ttyaudit.cli.remote.ServerClient;
import org.ttyaudit.cli.remote.ServerException;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.format.RecordVerifier;
import org.ttyaudit.core.format.VerifyReport;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.server.blob.BlobStoreException;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.verify.DataDirectoryVerifier;
import org.ttyaudit.server.verify.StoreReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit verify FILE}: proves a record is intact, or names the chunk and what is wrong.
 * {@code ttyaudit verify --data DIR}: the same for a whole server's store, offline (docs/LEDGER.md, "Verifying a
 * server's store offline"): every problem on a line of its own, then a summary.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a record's integrity: frames, hash chain, sequence, end record.",
                "With --data DIR, check a server's store offline (stop the server, or check a copy): every session's"
                        + " chunks, chain and end record, the command and search index, the audit log, the Merkle"
                        + " ledger and the signatures of its tree heads.",
                "With --server URL [SESSION], check a server from outside: the latest signed tree head (signature, and"
                        + " consistency with the head verified last time), and for a SESSION its record's chain and"
                        + " the proof that every record of it is in the signed ledger.",
                "Exit 0 when intact (a record cut short by a killed recorder is intact but incomplete);",
                "1 with a message per problem when damaged, truncated, reordered or altered."})
final class VerifyCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "FILE|SESSION", arity = "0..1",
            description = "A record file; with a server, a session id (or none: the ledger only).")
    Path file;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--data", paramLabel = "DIR", description = "A server's data directory (as for 'ttyaudit server').")
    Path data;

    @Option(names = "--config", paramLabel = "FILE",
            description = "With --data: the server's settings file, when it is not server.yaml in DIR (its blobs:"
                    + " section says where the chunk bytes are, e.g. S3; its database: section, or"
                    + " TTYAUDIT_DATABASE_URL, selects a PostgreSQL store, which is then checked instead of"
                    + " DIR/server.db).")
    Path settings;

    @Option(names = "--ledger-key", paramLabel = "PEM",
            description = "The server's ledger public key (PEM, as GET /api/v1/ledger/key serves it; keep a copy"
                    + " apart from the server). Signed tree heads must verify with it; with --data, the data"
                    + " directory's key file must be it.")
    Path ledgerKey;

    @Spec
    CommandSpec spec;

    VerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (file != null && data != null) {
            throw UserError.usage("give a record FILE or --data DIR, not both");
        }
        boolean sessionId = file != null && RecordArgument.namesSession(file);
        boolean server = remote.serverGiven()
                || ((file == null && data == null || sessionId) && remote.resolve(context).isPresent());
        if (server && data != null) {
            throw UserError.usage("give --server or --data DIR, not both");
        }
        if (settings != null && data == null) {
            throw UserError.usage("--config is for checking a server's store: give --data DIR too");
        }
        if (ledgerKey != null && data == null && !server) {
            throw UserError.usage("--ledger-key is for checking a server: give --data DIR or --server URL too");
        }
        if (data != null) {
            return verifyStore();
        }
        if (server) {
            return verifyServer();
        }
        if (file == null) {
            throw UserError.usage("give a record FILE to check, or --data DIR for a server's store");
        }
        return verifyFile();
    }

    private int verifyFile() {
        if (!Files.isRegularFile(file)) {
            throw UserError.usage(file + ": no such record file");
        }
        VerifyReport report;
        try {
            report = RecordVerifier.verify(file);
        } catch (IOException e) {
            throw UserError.failure(file + ": cannot read: " + SessionRunner.reason(e));
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (report.intact()) {
            out.println(file + ": " + report.summary());
            report.notes().forEach(n -> out.println("  note: " + n));
            return 0;
        }
        err.println(file + ": NOT intact (" + report.chunks() + " chunks, " + report.events() + " events read)");
        report.problems().forEach(p -> err.println("  " + p));
        return Main.EXIT_FAILURE;
    }

    private int verifyStore() {
        if (!Files.isDirectory(data)) {
            throw UserError.usage(data + ": no such directory");
        }
        PublicKey pinned = ledgerKey == null ? null : pinnedKey();
        StoreReport report;
        try {
            report = DataDirectoryVerifier.verify(data, settings, context.env()::get, pinned,
                    ledgerKey == null ? null : ledgerKey.toString());
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        } catch (StoreException | ConfigException | BlobStoreException e) {
            throw UserError.failure(e.getMessage());
        }
        PrintWriter to = report.intact() ? spec.commandLine().getOut() : spec.commandLine().getErr();
        report.problems().forEach(to::println);
        to.println(data + ": " + report.summary());
        report.notes().forEach(n -> to.println("  note: " + n));
        return report.intact() ? 0 : Main.EXIT_FAILURE;
    }

    private int verifyServer() {
        UUID session = null;
        if (file != null) {
            if (!RecordArgument.isSessionId(file.toString())) {
                throw UserError.usage(file + ": with a server, give a session id");
            }
            session = UUID.fromString(file.toString());
        }
        ServerClient client = ServerClient.of(remote.require(context));
        Path heads = ClientConfigFile.locate(context.env()).path().resolveSibling("heads.json");
        RemoteVerifier verifier = new RemoteVerifier(client, ledgerKey == null ? null : pinnedKey(), heads);
        RemoteVerifier.Report report;
        try {
            report = session == null ? verifier.verifyLedger() : verifier.verifySession(session, context.tempDir());
        } catch (ServerException e) {
            throw UserError.failure(e.getMessage());
        } catch (IOException e) {
            throw UserError.failure("cannot verify: " + SessionRunner.reason(e));
        }
        String what = client.url() + (session == null ? " ledger" : " session " + session);
        PrintWriter to = report.intact() ? spec.commandLine().getOut() : spec.commandLine().getErr();
        report.problems().forEach(p -> to.println("  " + p));
        to.println(what + (!report.intact() ? ": NOT intact (" + report.problems().size() + " problems)"
                : report.pruned() != null ? ": pruned " + report.pruned() + " (its ledger leaves and tombstone are"
                + " intact)" : ": intact"));
        report.notes().forEach(n -> to.println("  note: " + n));
        return report.intact() ? 0 : Main.EXIT_FAILURE;
    }

    private PublicKey pinnedKey() {
        try {
            return Ed25519Keys.readPublicKey(ledgerKey);
        } catch (IOException e) {
            throw UserError.usage("--ledger-key " + ledgerKey + ": cannot read: " + SessionRunner.reason(e));
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--ledger-key " + e.getMessage());
        }
    }
}
