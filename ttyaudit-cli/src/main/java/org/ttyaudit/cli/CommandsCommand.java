package org.ttyaudit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.timeline.CommandTimeline;
import org.ttyaudit.core.timeline.ExecutedCommand;
import org.ttyaudit.cli.remote.RemoteOptions;
import org.ttyaudit.cli.remote.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit commands FILE|ID [--json]}: the commands run in a recorded session, from a record file or a
 * session on a server ({@link RecordArgument}).
 */
@Command(name = "commands", mixinStandardHelpOptions = true,
        description = "List the commands run in a recorded session: command line, working directory, exit code, times, source.")
final class CommandsCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "FILE|ID", description = "A record file, or the id of a session on the server.")
    Path file;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--json", description = "Print a JSON array (fields command, cwd, exit_code, started_at, ended_at, source).")
    boolean json;

    @Spec
    CommandSpec spec;

    CommandsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        RecordArgument.Opened opened = RecordArgument.open(file, remote, context, spec.commandLine().getErr());
        Recording recording = opened.recording();
        String label = opened.label();
        CommandTimeline timeline = new CommandTimeline(recording.header().startedAt());
        RecordFiles.forEachEvent(label, recording, (seq, e) -> timeline.accept(e), spec.commandLine().getErr());
        List<ExecutedCommand> commands = timeline.commands();
        var out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ExecutedCommand c : commands) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("command", c.command());
                row.put("cwd", c.cwd());
                row.put("exit_code", c.exitCode());
                row.put("started_at", text(c.startedAt()));
                row.put("ended_at", text(c.endedAt()));
                row.put("source", c.source().jsonName());
                rows.add(row);
            }
            out.println(Json.MAPPER.writeValueAsString(rows));
        } else {
            for (ExecutedCommand c : commands) {
                // The recorded user chose these strings: escape controls so they cannot drive the reader's terminal.
                out.printf("%s  %-4s  %-40s  %s%n", text(c.startedAt()),
                        c.exitCode() == null ? "?" : c.exitCode().toString(),
                        c.cwd() == null ? "?" : SafeText.of(c.cwd()), SafeText.of(c.command()));
            }
        }
        out.flush();
        return 0;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
