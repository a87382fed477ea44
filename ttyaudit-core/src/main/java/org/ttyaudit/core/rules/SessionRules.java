package org.ttyaudit.core.rules;

import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the rules of one live session, event by event, and says which fire. Each event is checked only
 * against the rules of its kind (command rules for command starts and exec events, output rules for output,
 * marker rules for markers, the command rules whose only command condition is {@code file} for file events), and
 * a command line is analysed once for all rules.
 *
 * <p>Dedupe: a rule fires at most once per command — its command line, the exec events seen while it runs (and
 * up to a second after it ended, since processes are sampled from /proc), the files and the output of that
 * command (and output up to 20 ms after its end, which the recorder reports after the end marker when both came
 * in one read), and the file events while it runs (an SCP command's transfers). Outside commands the same rule
 * with the same matched text fires at most once per second. Output is searched with a carry-over of the previous event's last {@value #CARRY} characters, so a pattern split between
 * two events is found, and a match that lies wholly in the carried text (already searched) is not reported again.
 *
 * <p>Bounded work per event: command lines are read up to 8 KiB; output is searched per event plus the carry.
 *
 * <p>Not thread-safe: one thread feeds a session.
 */
public final class SessionRules {
    /** Characters of the previous output event searched again with the next one. */
    static final int CARRY = 256;
    /** Exec events this long after a command ended still belong to it (the process sampler lags). */
    static final long EXEC_GRACE_MICROS = 1_000_000;
    /**
     * Output this soon after a command ended still belongs to it: the recorder reports the shell's end marker
     * before the output that came in the same read from the terminal (its last lines).
     */
    static final long OUTPUT_GRACE_MICROS = 20_000;
    static final long OUTSIDE_REPEAT_MICROS = 1_000_000;
    private static final int MAX_RECENT = 1024;

    /** One match block of a rule. */
    private record Entry(Rule rule, Conditions conditions) {
    }

    private final SessionFacts facts;
    private final CommandAnalyzer analyzer;
    private final Entry[] contextEntries;
    private final Entry[] commandEntries;
    private final Entry[] outputEntries;
    private final Entry[] markerEntries;
    private final Entry[] fileEntries;
    private final String fileHome;
    private final boolean programsNeeded;
    private final OutputText outputText = new OutputText();
    private String carry = "";
    private boolean started;

    private Long currentCommand;
    private Long lastCommand;
    private long lastCommandEnd;
    private final Set<String> firedInCommand = new HashSet<>();
    private final Map<String, Long> recentOutside = new HashMap<>();

    SessionRules(List<Rule> rules, SessionFacts facts) {
        this.facts = facts;
        this.analyzer = new CommandAnalyzer(facts.accountOnHost());
        List<Entry> context = new ArrayList<>();
        List<Entry> command = new ArrayList<>();
        List<Entry> output = new ArrayList<>();
        List<Entry> marker = new ArrayList<>();
        List<Entry> file = new ArrayList<>();
        boolean programs = false;
        for (Rule r : rules) {
            for (Conditions c : r.match()) {
                if (!c.holdsFor(facts)) {
                    continue;
                }
                Entry e = new Entry(r, c);
                switch (c.kind) {
                    case CONTEXT -> context.add(e);
                    case COMMAND -> {
                        command.add(e);
                        programs |= c.usesPrograms();
                        if (c.checksFileEvents()) {
                            file.add(e);
                        }
                    }
                    case OUTPUT -> output.add(e);
                    case MARKER -> marker.add(e);
                    default -> throw new IllegalStateException();
                }
            }
        }
        this.contextEntries = context.toArray(new Entry[0]);
        this.commandEntries = command.toArray(new Entry[0]);
        this.outputEntries = output.toArray(new Entry[0]);
        this.markerEntries = marker.toArray(new Entry[0]);
        this.fileEntries = file.toArray(new Entry[0]);
        this.fileHome = SessionFacts.homeOf(facts.accountOnHost());
        this.programsNeeded = programs;
    }

    /** The context-only rules (user, group, host, client, time) that hold for this session; once, then empty. */
    public List<RuleMatch> start() {
        if (started) {
            return List.of();
        }
        started = true;
        List<RuleMatch> out = new ArrayList<>();
        for (Entry e : contextEntries) {
            if (e.conditions().timeHolds(facts.startedAt()) && out.stream().noneMatch(m -> m.rule() == e.rule())) {
                out.add(new RuleMatch(e.rule(), "session", describeSession(), 0, null));
            }
        }
        return out;
    }

    /**
     * The rules that fire on {@code e}, in rule order; empty for events of other kinds (input, resize) and when
     * nothing fires.
     */
    public List<RuleMatch> evaluate(Event e) {
        if (e instanceof OutputEvent o) {
            return outputEntries.length == 0 ? List.of() : output(o);
        }
        if (e instanceof CommandStartEvent c) {
            currentCommand = c.commandId();
            lastCommand = null;
            firedInCommand.clear();
            if (commandEntries.length == 0) {
                return List.of();
            }
            String line = c.commandLine();
            String text = line.length() > CommandAnalyzer.MAX_LINE ? line.substring(0, CommandAnalyzer.MAX_LINE)
                    : line;
            List<ProgramRun> runs = programsNeeded ? analyzer.commandLine(text, c.cwd()) : List.of();
            return command(text, runs, "command", c.offsetMicros(), c.commandId());
        }
        if (e instanceof ExecEvent x) {
            if (commandEntries.length == 0 || x.argv().isEmpty()) {
                return List.of();
            }
            Long commandId = currentCommand != null ? currentCommand
                    : lastCommand != null && x.offsetMicros() - lastCommandEnd <= EXEC_GRACE_MICROS ? lastCommand
                    : null;
            String joined = joined(x.argv());
            List<ProgramRun> runs = programsNeeded ? analyzer.argv(x.argv(), x.cwd()) : List.of();
            return command(joined, runs, "exec", x.offsetMicros(), commandId);
        }
        if (e instanceof CommandEndEvent end) {
            if (currentCommand != null && currentCommand == end.commandId()) {
                lastCommand = currentCommand;
                lastCommandEnd = end.offsetMicros();
                currentCommand = null;
            }
            return List.of();
        }
        if (e instanceof FileEvent f) {
            if (fileEntries.length == 0) {
                return List.of();
            }
            List<FileTouch> touches = FileEventTouches.of(f, fileHome);
            List<RuleMatch> out = null;
            for (Entry entry : fileEntries) {
                if (currentCommand != null && firedInCommand.contains(entry.rule().name())) {
                    continue;
                }
                out = fire(out, entry, entry.conditions().matchFileEvent(touches), f.offsetMicros(), currentCommand);
            }
            return out == null ? List.of() : out;
        }
        if (e instanceof MarkerEvent m) {
            List<RuleMatch> out = null;
            for (Entry entry : markerEntries) {
                Conditions.Hit hit = entry.conditions().matchMarker(m);
                out = fire(out, entry, hit, m.offsetMicros(), currentCommand);
            }
            return out == null ? List.of() : out;
        }
        return List.of();
    }

    private List<RuleMatch> command(String text, List<ProgramRun> runs, String trigger, long offset, Long commandId) {
        List<RuleMatch> out = null;
        for (Entry entry : commandEntries) {
            if (commandId != null && firedInCommand.contains(entry.rule().name())) {
                continue;
            }
            Conditions.Hit hit = entry.conditions().matchCommand(text, runs, trigger);
            out = fire(out, entry, hit, offset, commandId);
        }
        return out == null ? List.of() : out;
    }

    private List<RuleMatch> output(OutputEvent o) {
        String text = carry + outputText.next(o.data());
        int carried = carry.length();
        carry = text.length() <= CARRY ? text : text.substring(text.length() - CARRY);
        if (text.length() == carried) {
            return List.of();
        }
        Long commandId = currentCommand != null ? currentCommand
                : lastCommand != null && o.offsetMicros() - lastCommandEnd <= OUTPUT_GRACE_MICROS ? lastCommand
                : null;
        List<RuleMatch> out = null;
        for (Entry entry : outputEntries) {
            if (commandId != null && firedInCommand.contains(entry.rule().name())) {
                continue;
            }
            out = fire(out, entry, entry.conditions().matchOutput(text, carried), o.offsetMicros(), commandId);
        }
        return out == null ? List.of() : out;
    }

    /** Adds the match of {@code hit} to {@code out} (made on first use) unless dedupe or the time window say no. */
    private List<RuleMatch> fire(List<RuleMatch> out, Entry entry, Conditions.Hit hit, long offset, Long commandId) {
        if (hit == null) {
            return out;
        }
        Rule rule = entry.rule();
        if (out != null) {
            for (RuleMatch m : out) {
                if (m.rule() == rule) {
                    return out;   // another block of the same rule fired on this event
                }
            }
        }
        if (entry.conditions().time != null && !entry.conditions().timeHolds(at(offset))) {
            return out;
        }
        if (commandId != null) {
            if (!firedInCommand.add(rule.name())) {
                return out;
            }
        } else if (!firstInASecond(rule.name() + '\u0000' + hit.matched(), offset)) {
            return out;
        }
        List<RuleMatch> result = out == null ? new ArrayList<>(2) : out;
        result.add(new RuleMatch(rule, hit.trigger(), hit.matched(), offset, commandId));
        return result;
    }

    private boolean firstInASecond(String key, long offset) {
        Long last = recentOutside.get(key);
        if (last != null && offset - last < OUTSIDE_REPEAT_MICROS) {
            return false;
        }
        if (recentOutside.size() >= MAX_RECENT) {
            for (Iterator<Long> it = recentOutside.values().iterator(); it.hasNext(); ) {
                if (offset - it.next() >= OUTSIDE_REPEAT_MICROS) {
                    it.remove();
                }
            }
            if (recentOutside.size() >= MAX_RECENT) {
                recentOutside.clear();   // a flood of distinct texts within a second: forget rather than grow
            }
        }
        recentOutside.put(key, offset);
        return true;
    }

    private Instant at(long offsetMicros) {
        return facts.startedAt().plusNanos(offsetMicros * 1000);
    }

    private String describeSession() {
        return facts.user() + "@" + facts.host() + (facts.clientAddress() == null ? "" : " from "
                + facts.clientAddress());
    }

    private static String joined(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(a);
            if (b.length() >= CommandAnalyzer.MAX_LINE) {
                return b.substring(0, CommandAnalyzer.MAX_LINE);
            }
        }
        return b.toString();
    }
}
