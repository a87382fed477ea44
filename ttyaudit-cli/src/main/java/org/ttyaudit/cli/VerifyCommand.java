package org.ttyaudit.cli;

import org.ttyaudit.core.format.RecordVerifier;
import org.ttyaudit.core.format.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ttyaudit verify FILE}: proves a record is intact, or names the chunk and what is wrong. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a record's integrity: frames, hash chain, sequence, end record.",
                "Exit 0 when intact (a record cut short by a killed recorder is intact but incomplete);",
                "1 with a message per problem when damaged, truncated, reordered or altered."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A record file.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
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
}
