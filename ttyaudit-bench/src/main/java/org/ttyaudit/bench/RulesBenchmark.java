package org.ttyaudit.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.rules.RuleSet;
import org.ttyaudit.core.rules.SessionFacts;
import org.ttyaudit.core.rules.SessionRules;

/**
 * Rule evaluation ({@link SessionRules#evaluate}) of one session's events, one thread, as the server runs it for
 * each live session. One operation is one event; every invocation replays {@value #EVENTS} events of a realistic
 * mix into a fresh {@link SessionRules} (one session). Per command: its start, two exec events (the program and a
 * child), the echo of the typed line (one output event per key), 4 output events of 100 B to 4 KiB ({@code ls -l}
 * and {@code ls --color} text), and its end. One command in six is one the default pack flags ({@code sudo},
 * {@code history -c}, a write to {@code /etc/passwd}, …).
 * <ul>
 *   <li>{@code pack=default}: the default pack (no output rules: output events cost only a type check);</li>
 *   <li>{@code pack=default+output}: the default pack plus a rule file with three output regexes and a
 *       {@code program}+{@code argv} rule, so every output event is decoded and searched.</li>
 * </ul>
 * {@code evaluateCommandEventsOnly} replays only the command starts, exec events and ends of the same mix (the
 * events whose command lines are analysed), to show the cost of those alone.
 * {@code evaluateHostileInput} replays {@value #HOSTILE_EVENTS} hostile command lines of 1 MB each (a unit such as
 * {@code "sudo "} or {@code "$("} repeated, where a match may start at every word): their cost is what the unit
 * test {@code SessionRulesTest.hostileInputStaysCheap} only bounds by a watchdog against super-linear blow-up.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RulesBenchmark {
    static final int EVENTS = 10_000;
    /** Units that repeated make a hostile command line (each of these was once analysed in quadratic time). */
    private static final String[] HOSTILE_UNITS = {"curl ", "a ", "rm -rf / ", "sudo ", "bash -c '", "$(", "_ta",
        "a | "};
    static final int HOSTILE_EVENTS = 2 * 8;
    private static final int HOSTILE_CHARS = 1_000_000;
    private static final SessionFacts FACTS = new SessionFacts("recorder", "alice", List.of("staff"), "web-1",
            "10.1.2.3", Instant.parse("2026-12-01T10:00:00Z"));
    private static final String[] RISKY = {"sudo systemctl restart nginx", "history -c",
        "echo 'x:x:0:0::/:/bin/sh' >> /etc/passwd", "curl -fsSL https://get.example.com | sh",
        "chmod -R 777 /etc", "cd /tmp && sudo -n true"};
    private static final String OUTPUT_RULES = """
            rules:
              - name: denied
                severity: low
                match: {output: 'Permission denied'}
              - name: private-key-shown
                severity: high
                match: {output: ['-----BEGIN [A-Z ]*PRIVATE KEY-----', 'AKIA[0-9A-Z]{16}']}
              - name: prod-db-shell
                severity: high
                match: {program: [psql, mysql], argv: '--host=prod|-h\\s*prod'}
            """;

    @Param({"default", "default+output"})
    public String pack;

    RuleSet rules;
    Event[] events;
    Event[] commandEvents;
    Event[] hostile;

    @Setup(Level.Trial)
    public void setUp() {
        rules = pack.equals("default") ? RuleSet.defaultPack() : RuleSet.parse(OUTPUT_RULES, "bench.yaml", true);
        events = mix(EVENTS, 42).toArray(new Event[0]);
        commandEvents = mix(EVENTS * 4, 43).stream().filter(e -> !(e instanceof OutputEvent)).limit(EVENTS)
                .toArray(Event[]::new);
        hostile = hostile();
        // Check that the mix fires what it should before measuring.
        SessionRules check = rules.forSession(FACTS);
        long fired = Arrays.stream(events).mapToLong(e -> check.evaluate(e).size()).sum();
        if (fired < 10) {
            throw new IllegalStateException("the event mix fired only " + fired + " rules");
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void evaluate(Blackhole bh) {
        replay(events, bh);
    }

    /** Only the command starts, exec events and command ends of the mix: the events that cost most. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void evaluateCommandEventsOnly(Blackhole bh) {
        replay(commandEvents, bh);
    }

    /** Command lines of 1 MB built to make analysis expensive: see the class comment. */
    @Benchmark
    @OperationsPerInvocation(HOSTILE_EVENTS)
    public void evaluateHostileInput(Blackhole bh) {
        replay(hostile, bh);
    }

    /** Feeds {@code stream} into a fresh evaluator, as one session. */
    private void replay(Event[] stream, Blackhole bh) {
        SessionRules session = rules.forSession(FACTS);
        for (Event e : stream) {
            bh.consume(session.evaluate(e));
        }
    }

    /** For each hostile unit, a command start and an exec event of it repeated to {@value #HOSTILE_CHARS} chars. */
    static Event[] hostile() {
        List<Event> out = new ArrayList<>();
        long t = 0;
        for (String unit : HOSTILE_UNITS) {
            String line = unit.repeat(HOSTILE_CHARS / unit.length());
            out.add(new CommandStartEvent(t += 50_000, out.size() + 1, line, "/", CommandSource.SHELL_INTEGRATION));
            out.add(new ExecEvent(t += 50_000, 1000 + out.size(), 999, List.of(line.split(" ", 2)), "/"));
        }
        if (out.size() != HOSTILE_EVENTS) {
            throw new IllegalStateException(out.size() + " hostile events, " + HOSTILE_EVENTS + " declared");
        }
        return out.toArray(new Event[0]);
    }

    /** {@code count} events of the mix described above, offsets increasing by 50 ms. */
    static List<Event> mix(int count, long seed) {
        Random r = new Random(seed);
        byte[] listing = TerminalData.longListing(64 * 1024, seed);
        byte[] colour = TerminalData.colourListing(64 * 1024, seed + 1);
        List<Event> out = new ArrayList<>();
        long t = 0;
        long id = 0;
        int pid = 1000;
        while (out.size() < count) {
            id++;
            String line = id % 6 == 0 ? RISKY[(int) (id / 6 % RISKY.length)]
                    : TerminalData.COMMANDS[r.nextInt(TerminalData.COMMANDS.length)];
            for (int i = 0; i < line.length(); i++) {
                out.add(new OutputEvent(t += 50_000, new byte[] {(byte) line.charAt(i)}));
            }
            out.add(new CommandStartEvent(t += 50_000, id, line, "/home/alice/src/shop",
                    CommandSource.SHELL_INTEGRATION));
            List<String> argv = List.of(line.split(" "));
            out.add(new ExecEvent(t += 50_000, ++pid, 999, argv, "/home/alice/src/shop"));
            out.add(new ExecEvent(t += 50_000, ++pid, pid - 1, List.of("/usr/bin/less", "-R"), "/home/alice"));
            for (int i = 0; i < 4; i++) {
                byte[] source = i % 2 == 0 ? listing : colour;
                int size = 100 + r.nextInt(4000);
                int from = r.nextInt(source.length - size);
                out.add(new OutputEvent(t += 50_000, Arrays.copyOfRange(source, from, from + size)));
            }
            out.add(new CommandEndEvent(t += 50_000, id, 0));
        }
        return out.subList(0, count);
    }
}
