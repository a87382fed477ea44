package org.ttyaudit.cli;

import org.ttyaudit.cli.remote.SafeText;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ttyaudit info FILE}: a record's metadata. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a recorded session's metadata.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A record file.")
    Path file;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        Recording r = RecordFiles.open(file);
        RecordFiles.warnIfPartial(file, r, spec.commandLine().getErr());
        SessionHeader h = r.header();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", h.sessionId().toString());
        m.put("kind", h.kind());
        m.put("user", h.user());
        m.put("uid", h.uid());
        m.put("host", h.host());
        m.put("tty", h.tty());
        m.put("client_address", h.clientAddress());
        m.put("term", h.term());
        m.put("size", h.cols() + "x" + h.rows());
        m.put("command", h.command());
        m.put("capture", h.capture());
        m.put("recorder_version", h.recorderVersion());
        m.put("started_at", h.startedAt().toString());
        SessionEnd end = r.end().map(e -> e.end()).orElse(null);
        m.put("ended_at", end == null ? null : end.endedAt().toString());
        m.put("exit_status", end == null ? null : end.exitStatus());
        m.put("end_reason", end == null ? "incomplete (no end record)" : end.reason());
        m.put("chunks", r.chunks().size());
        m.put("events", r.eventCount());
        if (!h.tags().isEmpty()) {
            m.put("tags", h.tags());
        }
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(m));
        } else {
            m.forEach((k, v) -> out.printf("%-17s %s%n", k + ":", v == null ? "-" : SafeText.of(v.toString())));
        }
        out.flush();
        return 0;
    }
}
