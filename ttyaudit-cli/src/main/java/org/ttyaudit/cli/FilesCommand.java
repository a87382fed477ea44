package org.ttyaudit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.ttyaudit.cli.remote.RemoteOptions;
import org.ttyaudit.cli.remote.SafeText;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.FileEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit files FILE|ID [--json]}: the file events of a recorded session — what the SSH gateway saw its
 * SFTP and SCP transfers do — from a record file or a session on a server ({@link RecordArgument}), as
 * {@code ttyaudit commands} lists the commands.
 */
@Command(name = "files", mixinStandardHelpOptions = true,
        description = {"List the files a recorded session touched (file events: SFTP and SCP transfers through the "
                + "SSH gateway).",
                "Columns: time, operation, bytes transferred, SHA-256 of the content (first 16 hex digits; --json "
                        + "has all), source, path (-> target of a rename or link)."})
final class FilesCommand implements Callable<Integer> {
    /** Hex digits of the SHA-256 the table shows: enough to tell files apart, short enough for a line. */
    static final int SHORT_HASH = 16;

    private final CliContext context;

    @Parameters(paramLabel = "FILE|ID", description = "A record file, or the id of a session on the server.")
    Path file;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--json", description = "Print a JSON array (fields at, offset_us, operation, path, target_path, "
            + "bytes, sha256, source).")
    boolean json;

    @Spec
    CommandSpec spec;

    FilesCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        RecordArgument.Opened opened = RecordArgument.open(file, remote, context, spec.commandLine().getErr());
        Recording recording = opened.recording();
        String label = opened.label();
        List<FileEvent> files = new ArrayList<>();
        RecordFiles.forEachEvent(label, recording, (seq, e) -> {
            if (e instanceof FileEvent f) {
                files.add(f);
            }
        }, spec.commandLine().getErr());
        Instant start = recording.header().startedAt();
        var out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (FileEvent f : files) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("at", at(start, f).toString());
                row.put("offset_us", f.offsetMicros());
                row.put("operation", f.operation());
                row.put("path", f.path());
                row.put("target_path", f.targetPath());
                row.put("bytes", f.bytes());
                row.put("sha256", f.sha256Hex());
                row.put("source", f.source());
                rows.add(row);
            }
            out.println(Json.MAPPER.writeValueAsString(rows));
        } else {
            for (FileEvent f : files) {
                String hash = f.sha256Hex();
                // The client chose these paths: escape controls so they cannot drive the reader's terminal.
                out.printf("%s  %-7s  %12s  %-16s  %-4s  %s%s%n", at(start, f), f.operation(),
                        f.bytes() == null ? "-" : f.bytes().toString(),
                        hash == null ? "-" : hash.substring(0, SHORT_HASH), f.source(), SafeText.of(f.path()),
                        f.targetPath() == null ? "" : " -> " + SafeText.of(f.targetPath()));
            }
        }
        out.flush();
        return 0;
    }

    private static Instant at(Instant start, FileEvent f) {
        return start.plus(f.offsetMicros(), ChronoUnit.MICROS);
    }
}
