package org.ttyaudit.cli;

import org.ttyaudit.recorder.spool.DataDirectory;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.Backoff;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.recorder.upload.IngestException;
import org.ttyaudit.recorder.upload.ServerRotation;
import org.ttyaudit.recorder.upload.Sleeper;
import org.ttyaudit.recorder.upload.SpoolDrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ttyaudit upload}: ships every session waiting in the spool to the audit server. */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = {"Upload the sessions waiting in the spool to the audit server.",
                "Exits 0 when all are uploaded; 1 naming each session that is not, and why."})
final class UploadCommand implements Callable<Integer> {
    @Option(names = "--wait", description = "Keep retrying (with backoff) while the server cannot be reached.")
    boolean wait;

    @Option(names = "--quiet", description = "Print only problems, with the time (for a log file).")
    boolean quiet;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory (default: $TTYAUDIT_DATA_DIR, $XDG_DATA_HOME/ttyaudit or ~/.local/share/ttyaudit).")
    Path dataDir;

    @Option(names = "--credential-file", paramLabel = "PATH",
            description = "Host credential file (default: /etc/ttyaudit/host.json for root, else ~/.config/ttyaudit/host.json).")
    Path credentialFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Spool spool = Spool.of(DataDirectory.resolve(dataDir, System.getenv()));
        Optional<Spool.Held> lock = spool.tryDrainLock();
        if (lock.isEmpty()) {
            say(out, "another upload is running (it holds " + spool.dir().resolve(".upload.lock") + ")");
            return 0;
        }
        try (Spool.Held held = lock.get()) {
            if (spool.entries().isEmpty()) {
                say(out, "nothing to upload");
                return 0;
            }
            Path file = Credentials.location(credentialFile);
            HostCredential credential = Credentials.load(file, Main.EXIT_FAILURE);
            // the drainer's entries share one client, so a failover found for one holds for the next
            IngestClient client = new IngestClient(credential, new ServerRotation(credential.servers(),
                    line -> problem(out, line)));
            SpoolDrainer drainer = new SpoolDrainer(spool, client, Backoff::new,
                    Sleeper.SYSTEM, wait, new Progress(out));
            List<SpoolDrainer.EntryReport> reports = drainer.drain();
            long uploaded = reports.stream().filter(r -> r.status() == SpoolDrainer.Status.UPLOADED).count();
            if (reports.isEmpty()) {
                say(out, "nothing to upload (the sessions in the spool are still being recorded)");
            } else if (uploaded == reports.size()) {
                say(out, "uploaded " + uploaded + " session" + (uploaded == 1 ? "" : "s") + " to "
                        + client.server());
            }
            return uploaded == reports.size() ? 0 : Main.EXIT_FAILURE;
        }
    }

    /** Success lines unless quiet. */
    private void say(PrintWriter out, String line) {
        if (!quiet) {
            out.println("ttyaudit: " + line);
        }
    }

    /** Problems, always; with the time when quiet (the background drainer's log). */
    private void problem(PrintWriter out, String line) {
        out.println("ttyaudit: " + (quiet ? Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " : "") + line);
        out.flush();
    }

    /** Reports each entry, and each new reason for retrying (not every retry: a long outage is one line). */
    private final class Progress implements SpoolDrainer.Listener {
        private final PrintWriter out;
        private final Map<String, String> lastReason = new HashMap<>();

        Progress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void retrying(Spool.Entry entry, IngestException failure, Duration delay) {
            if (!failure.getMessage().equals(lastReason.put(entry.name(), failure.getMessage()))) {
                problem(out, entry.name() + ": " + failure.getMessage() + "; retrying until it works");
            }
        }

        @Override
        public void finished(SpoolDrainer.EntryReport report) {
            if (report.status() == SpoolDrainer.Status.UPLOADED) {
                if (lastReason.remove(report.entry()) != null) {
                    problem(out, report.line()); // in a log: the outage is over
                } else {
                    say(out, report.line());
                }
            } else {
                problem(out, report.line());
            }
        }
    }
}
