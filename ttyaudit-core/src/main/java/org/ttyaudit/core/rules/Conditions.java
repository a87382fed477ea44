package org.ttyaudit.core.rules;

import org.ttyaudit.core.model.MarkerEvent;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code match:} block of a rule: every condition given must hold (a list inside a condition means any of
 * its items). Conditions are of three kinds that are never mixed in one block: command conditions
 * ({@code command}, {@code command_glob}, {@code program}, {@code argv}, {@code file}), checked against command
 * lines and exec events; {@code output}; and {@code marker}. A block whose only command condition is {@code file}
 * is also checked against file events (the SSH gateway's SFTP and SCP transfers): an upload to /etc/sudoers is a
 * write of it just as {@code visudo} is. The context conditions ({@code user}, {@code group}, {@code target_user},
 * {@code host}, {@code client}, {@code time}) go with any kind; a block with only context conditions fires once,
 * when the session starts. {@code program}, {@code argv} and {@code file} must all hold for the same program run.
 * Built by the rule file loader; immutable and thread-safe.
 */
public final class Conditions {
    /** What a block is checked against. */
    enum Kind { COMMAND, OUTPUT, MARKER, CONTEXT }

    /** A matching block's trigger and matched text. */
    record Hit(String trigger, String matched) {
    }

    final List<Pattern> command;
    final List<Glob> commandGlobs;
    final List<Glob> programs;
    final Pattern argv;
    final FileCondition file;
    final List<Pattern> output;
    final List<Glob> markers;
    final List<Glob> users;
    final List<Glob> groups;
    final List<Glob> targetUsers;
    final List<Glob> hosts;
    final List<AddressPattern> clients;
    final TimeWindow time;
    final Kind kind;

    Conditions(List<Pattern> command, List<Glob> commandGlobs, List<Glob> programs, Pattern argv, FileCondition file,
               List<Pattern> output, List<Glob> markers, List<Glob> users, List<Glob> groups,
               List<Glob> targetUsers, List<Glob> hosts, List<AddressPattern> clients, TimeWindow time) {
        this.command = List.copyOf(command);
        this.commandGlobs = List.copyOf(commandGlobs);
        this.programs = List.copyOf(programs);
        this.argv = argv;
        this.file = file;
        this.output = List.copyOf(output);
        this.markers = List.copyOf(markers);
        this.users = List.copyOf(users);
        this.groups = List.copyOf(groups);
        this.targetUsers = List.copyOf(targetUsers);
        this.hosts = List.copyOf(hosts);
        this.clients = List.copyOf(clients);
        this.time = time;
        boolean commandKind = !command.isEmpty() || !commandGlobs.isEmpty() || usesPrograms();
        int kinds = (commandKind ? 1 : 0) + (output.isEmpty() ? 0 : 1) + (markers.isEmpty() ? 0 : 1);
        if (kinds > 1) {
            throw new IllegalArgumentException("a match block checks one kind of event: command conditions "
                    + "(command, command_glob, program, argv, file), output, or marker; use separate rules");
        }
        if (file != null && FileCondition.EVENT_OPS.contains(file.op()) && !checksFileEvents()) {
            throw new IllegalArgumentException("file op '" + file.op() + "' is an operation of file events, which "
                    + "run no program: it cannot go with command, command_glob, program or argv");
        }
        this.kind = commandKind ? Kind.COMMAND : !output.isEmpty() ? Kind.OUTPUT : !markers.isEmpty() ? Kind.MARKER
                : Kind.CONTEXT;
    }

    /** Whether the program runs (and so the command analysis) matter to this block. */
    boolean usesPrograms() {
        return !programs.isEmpty() || argv != null || file != null;
    }

    /**
     * Whether file events can satisfy this block: its only command condition is {@code file} (a file event runs
     * no program, so {@code program}, {@code argv} and command text cannot hold for it).
     */
    boolean checksFileEvents() {
        return file != null && command.isEmpty() && commandGlobs.isEmpty() && programs.isEmpty() && argv == null;
    }

    /**
     * The session-wide conditions (user, group, target user, host, client); time is checked per event. A session
     * without a target user (not relayed by the gateway) never matches {@code target_user}.
     */
    boolean holdsFor(SessionFacts s) {
        return (users.isEmpty() || anyMatches(users, s.user()))
                && (groups.isEmpty() || s.groups().stream().anyMatch(g -> anyMatches(groups, g)))
                && (targetUsers.isEmpty() || anyMatches(targetUsers, s.targetUser()))
                && (hosts.isEmpty() || anyMatches(hosts, s.host()))
                && (clients.isEmpty() || clients.stream().anyMatch(c -> c.matches(s.clientAddress())));
    }

    boolean timeHolds(Instant at) {
        return time == null || time.contains(at);
    }

    /**
     * Checks a command line (or, for an exec event, the joined argv) and the program runs found in it.
     *
     * @param trigger {@code command} or {@code exec}: the trigger when no file condition is involved
     */
    Hit matchCommand(String text, List<ProgramRun> runs, String trigger) {
        for (Pattern p : command) {
            if (!p.matcher(text).find()) {
                continue;
            }
            return commandGlobs.isEmpty() || anyMatches(commandGlobs, text) ? programsHit(text, runs, trigger)
                    : null;
        }
        if (!command.isEmpty()) {
            return null;
        }
        if (!commandGlobs.isEmpty() && !anyMatches(commandGlobs, text)) {
            return null;
        }
        return programsHit(text, runs, trigger);
    }

    private Hit programsHit(String text, List<ProgramRun> runs, String trigger) {
        if (!usesPrograms()) {
            return new Hit(trigger, text);
        }
        for (ProgramRun r : runs) {
            if (!programs.isEmpty() && !programMatches(r)) {
                continue;
            }
            if (argv != null && !argv.matcher(r.joinedArgv()).find()) {
                continue;
            }
            if (file != null) {
                FileTouch f = file.find(r.files());
                if (f != null) {
                    return new Hit("file", f.path());
                }
                continue;
            }
            return new Hit(trigger, text);
        }
        return null;
    }

    private boolean programMatches(ProgramRun r) {
        if (r.name().isEmpty()) {
            return false;
        }
        for (Glob g : programs) {
            if (g.matches(g.toString().indexOf('/') >= 0 ? r.path() : r.name())) {
                return true;
            }
        }
        return false;
    }

    /** Checks the files a file event touches ({@link FileEventTouches}); only for {@link #checksFileEvents()}. */
    Hit matchFileEvent(List<FileTouch> touches) {
        FileTouch f = file.find(touches);
        return f == null ? null : new Hit("file", f.path());
    }

    /**
     * The first match in {@code text} that ends after its first {@code carried} characters (those were already
     * searched with the previous event), or null.
     */
    Hit matchOutput(String text, int carried) {
        for (Pattern p : output) {
            Matcher m = p.matcher(text);
            // Start early enough that a match crossing from the carried text into the new one is found.
            while (m.find()) {
                if (m.end() > carried && m.end() > m.start()) {
                    return new Hit("output", m.group());
                }
            }
        }
        return null;
    }

    Hit matchMarker(MarkerEvent e) {
        return anyMatches(markers, e.name())
                ? new Hit("marker", e.detail().isEmpty() ? e.name() : e.name() + ": " + e.detail()) : null;
    }

    private static boolean anyMatches(List<Glob> globs, String s) {
        if (s == null) {
            return false;
        }
        for (Glob g : globs) {
            if (g.matches(s)) {
                return true;
            }
        }
        return false;
    }
}
