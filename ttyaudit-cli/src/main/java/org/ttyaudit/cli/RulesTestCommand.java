package org.ttyaudit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.ttyaudit.cli.remote.RemoteOptions;
import org.ttyaudit.cli.remote.SafeText;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.rules.RuleMatch;
import org.ttyaudit.core.rules.RuleSet;
import org.ttyaudit.core.rules.SessionFacts;
import org.ttyaudit.core.rules.SessionRules;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit rules test [--rules FILE] [--no-default-pack] (--record FILE | --session ID)}: replays a recorded
 * session through the rules, exactly as the server evaluates a live one ({@link SessionRules}), and prints what
 * would fire. Exit 0 whether or not anything fires; 2 for a bad rule file or bad arguments.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Replay a recorded session through the rules (the default pack when no file is given) and "
                + "print what would fire: time, severity, rule, trigger, matched text.")
final class RulesTestCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--rules", paramLabel = "FILE", description = "A rule file (docs/RULES.md); the default pack "
            + "is added unless the file or --no-default-pack turns it off.")
    Path rules;

    @Option(names = "--no-default-pack", description = "Leave the default rule pack out.")
    boolean noDefaultPack;

    @ArgGroup(multiplicity = "1")
    Source source;

    /** Where the recording comes from: exactly one of the two. */
    static final class Source {
        @Option(names = "--record", paramLabel = "FILE", required = true, description = "A local record file.")
        Path record;

        @Option(names = "--session", paramLabel = "ID", required = true,
                description = "The id of a session on the server (--server, TTYAUDIT_SERVER or a saved login).")
        String session;
    }

    @Mixin
    RemoteOptions remote;

    @Option(names = "--json", description = "Print a JSON array (fields offset_micros, at, severity, rule, "
            + "trigger, matched, command_id, actions).")
    boolean json;

    @Spec
    CommandSpec spec;

    RulesTestCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        RuleSet ruleSet = ruleSet();
        Recording recording;
        String label;
        if (source.record != null) {
            label = source.record.toString();
            recording = RecordFiles.open(source.record);
        } else {
            try (RecordArgument record = RecordArgument.session(source.session, remote, context)) {
                label = record.label();
                recording = RecordFiles.open(record.file(), label);
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        RecordFiles.warnIfPartial(label, recording, err);
        SessionRules session = ruleSet.forSession(SessionFacts.of(recording.header()));
        List<RuleMatch> matches = new ArrayList<>(session.start());
        RecordFiles.forEachEvent(label, recording, (seq, e) -> matches.addAll(session.evaluate(e)), err);
        print(matches, recording.header().startedAt());
        return 0;
    }

    private RuleSet ruleSet() {
        if (rules == null && noDefaultPack) {
            throw UserError.usage("rules test: --no-default-pack without --rules leaves no rules to test");
        }
        try {
            return rules == null ? RuleSet.defaultPack() : RuleSet.load(rules, !noDefaultPack);
        } catch (ConfigException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    private void print(List<RuleMatch> matches, Instant startedAt) throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (RuleMatch m : matches) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("offset_micros", m.offsetMicros());
                row.put("at", startedAt.plusNanos(m.offsetMicros() * 1000).toString());
                row.put("severity", m.rule().severity().jsonName());
                row.put("rule", m.rule().name());
                row.put("description", m.rule().description());
                row.put("trigger", m.trigger());
                row.put("matched", m.matched());
                row.put("command_id", m.commandId());
                row.put("actions", m.rule().actions().stream().map(a -> a.kind()).toList());
                rows.add(row);
            }
            out.println(Json.MAPPER.writeValueAsString(rows));
        } else {
            for (RuleMatch m : matches) {
                // The recorded user chose the matched text: escape controls so it cannot drive the reader's terminal.
                out.printf("%s  %-8s  %-32s  %-7s  %s%n", offset(m.offsetMicros()), m.rule().severity().jsonName(),
                        m.rule().name(), m.trigger(), SafeText.of(m.matched()));
            }
            if (matches.isEmpty()) {
                spec.commandLine().getErr().println("ttyaudit: no rule fired");
            }
        }
        out.flush();
    }

    /** {@code +MM:SS.mmm} (or {@code +H:MM:SS.mmm}) since the session started. */
    static String offset(long micros) {
        long millis = micros / 1000;
        long h = millis / 3_600_000;
        long m = millis / 60_000 % 60;
        long s = millis / 1000 % 60;
        return h > 0 ? String.format("+%d:%02d:%02d.%03d", h, m, s, millis % 1000)
                : String.format("+%02d:%02d.%03d", m, s, millis % 1000);
    }
}
