package org.ttyaudit.cli;

import org.ttyaudit.core.format.RecordVerifier;
import org.ttyaudit.core.format.VerifyReport;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.verify.DataDirectoryVerifier;
import org.ttyaudit.server.verify.StoreReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
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
                "Exit 0 when intact (a record cut short by a killed recorder is intact but incomplete);",
                "1 with a message per problem when damaged, truncated, reordered or altered."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "A record file.")
    Path file;

    @Option(names = "--data", paramLabel = "DIR", description = "A server's data directory (as for 'ttyaudit server').")
    Path data;

    @Option(names = "--ledger-key", paramLabel = "PEM",
            description = "With --data: the server's ledger public key (PEM, as GET /api/v1/ledger/key serves it)."
                    + " Signed tree heads must verify with it, and the data directory's key file must be it.")
    Path ledgerKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (file != null && data != null) {
            throw UserError.usage("give a record FILE or --data DIR, not both");
        }
        if (ledgerKey != null && data == null) {
            throw UserError.usage("--ledger-key is for checking a server's store: give --data DIR too");
        }
        if (data != null) {
            return verifyStore();
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
            report = DataDirectoryVerifier.verify(data, pinned, ledgerKey == null ? null : ledgerKey.toString());
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        } catch (StoreException e) {
            throw UserError.failure(e.getMessage());
        }
        PrintWriter to = report.intact() ? spec.commandLine().getOut() : spec.commandLine().getErr();
        report.problems().forEach(to::println);
        to.println(data + ": " + report.summary());
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
