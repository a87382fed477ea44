package org.ttyaudit.core.interop.audit;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AuditLogReader} as a stream with a bounded window: generated logs whose events interleave up to a depth,
 * read with a window that covers the depth, give back exactly the events written, in the order they began, never
 * holding more than the window; with a smaller window every record is either in its event or counted late; and a
 * log far larger than the window streams through it.
 */
class AuditLogWindowProperties {

    /** A generated log: its lines, and each event's records (by serial) as they were written. */
    record Generated(List<String> lines, Map<Long, List<String>> events) {
    }

    /**
     * A log of {@code count} events of 1-4 records each, optionally ended by EOE, whose records interleave: a
     * record of an event comes while at most {@code depth} events have begun after it.
     */
    static Generated generate(Random random, int count, int depth) {
        List<String> lines = new ArrayList<>();
        Map<Long, List<String>> events = new LinkedHashMap<>();
        List<long[]> active = new ArrayList<>();   // {serial, records left, events begun since, ends with EOE}
        long next = 1;
        while (next <= count || !active.isEmpty()) {
            boolean mayBegin = next <= count && active.stream().allMatch(a -> a[2] < depth);
            long[] a;
            if (mayBegin && (active.isEmpty() || random.nextBoolean())) {
                // an event begins with its first record, where the reader sees it begin
                active.forEach(x -> x[2]++);
                a = new long[]{next, 1 + random.nextInt(4), 0, random.nextInt(3) == 0 ? 1 : 0};
                active.add(a);
                events.put(next, new ArrayList<>());
                next++;
            } else {
                // a record of an active event: mostly the oldest, sometimes another
                a = active.get(random.nextInt(4) == 0 ? random.nextInt(active.size()) : 0);
            }
            List<String> records = events.get(a[0]);
            String type = records.isEmpty() ? "SYSCALL" : "PATH";
            lines.add(line(type, a[0], "item=" + records.size() + " name=\"/d/" + a[0] + "\" ses=1"));
            records.add(type);
            if (--a[1] == 0) {
                if (a[3] == 1) {
                    lines.add(line("EOE", a[0], ""));
                }
                active.remove(a);
            }
        }
        return new Generated(lines, events);
    }

    static String line(String type, long serial, String fields) {
        return "type=" + type + " msg=audit(" + (1_700_000_000L + serial / 1000) + "."
                + String.format("%03d", serial % 1000) + ":" + serial + "): " + fields;
    }

    @Property(tries = 60)
    void aWindowCoveringTheInterleavingGivesBackEveryEventWholeInOrder(@ForAll Random random,
                                                                        @ForAll @IntRange(min = 1, max = 800) int count,
                                                                        @ForAll @IntRange(min = 0, max = 12) int depth)
            throws IOException {
        Generated log = generate(random, count, depth);
        int window = depth + 1;
        List<AuditEvent> read = new ArrayList<>();
        try (AuditLogReader r = new AuditLogReader(new StringReader(String.join("\n", log.lines())), "g.log",
                window)) {
            for (AuditEvent e = r.next(); e != null; e = r.next()) {
                read.add(e);
            }
            assertThat(r.mostOpen()).isLessThanOrEqualTo(window);
            assertThat(r.notUsed()).isEmpty();
        }
        assertThat(read).extracting(AuditEvent::serial).containsExactlyElementsOf(log.events().keySet());
        for (AuditEvent e : read) {
            assertThat(e.records()).extracting(AuditRecord::type).containsExactlyElementsOf(log.events().get(e.serial()));
        }
    }

    @Property(tries = 60)
    void aSmallerWindowLosesNoRecordUnaccounted(@ForAll Random random,
                                                @ForAll @IntRange(min = 1, max = 500) int count,
                                                @ForAll @IntRange(min = 2, max = 12) int depth,
                                                @ForAll @IntRange(min = 1, max = 3) int window) throws IOException {
        Generated log = generate(random, count, depth);
        long records = log.events().values().stream().mapToLong(List::size).sum();
        long kept = 0;
        try (AuditLogReader r = new AuditLogReader(new StringReader(String.join("\n", log.lines())), "g.log",
                window)) {
            for (AuditEvent e = r.next(); e != null; e = r.next()) {
                kept += e.records().size();
                assertThat(e.records().get(0).serial()).isEqualTo(e.serial());
            }
            assertThat(r.mostOpen()).isLessThanOrEqualTo(window);
            assertThat(kept + r.notUsed().getOrDefault(AuditLogReader.LATE, 0)).isEqualTo(records);
        }
    }

    @Example
    void aRecordBeyondTheWindowIsCountedLateAndItsEventGoesOnWithoutIt() throws IOException {
        String log = String.join("\n",
                line("SYSCALL", 1, "ses=1"), line("SYSCALL", 2, "ses=1"), line("SYSCALL", 3, "ses=1"),
                line("CWD", 1, "cwd=\"/late\""), line("EOE", 2, ""), line("CWD", 3, "cwd=\"/in-time\""));
        try (AuditLogReader r = new AuditLogReader(new StringReader(log), "w.log", 2)) {
            AuditEvent first = r.next();
            assertThat(first.serial()).isEqualTo(1);
            assertThat(first.records()).extracting(AuditRecord::type).containsExactly("SYSCALL");
            assertThat(r.next().serial()).isEqualTo(2);
            assertThat(r.next().records()).extracting(AuditRecord::type).containsExactly("SYSCALL", "CWD");
            assertThat(r.next()).isNull();
            assertThat(r.notUsed()).containsExactly(Map.entry(AuditLogReader.LATE, 1));
        }
    }

    /** 300,000 events (about 60 MB of log) generated as they are read, through a window of 64. */
    @Example
    void aLogFarLargerThanTheWindowStreamsThroughIt() throws IOException {
        int count = 300_000;
        Random random = new Random(7);
        Reader lazy = new Reader() {
            private long serial;
            private String pending = "";
            private int at;

            @Override
            public int read(char[] buf, int off, int len) {
                if (at == pending.length()) {
                    if (serial == count) {
                        return -1;
                    }
                    serial++;
                    // each event's two records, the second after the next event began (one deep)
                    pending = line("SYSCALL", serial, "ses=1 pid=" + random.nextInt(99999)) + "\n"
                            + (serial > 1 ? line("PATH", serial - 1, "item=1 name=\"/var/tmp/file-" + (serial - 1)
                            + "\"") + "\n" : "");
                    at = 0;
                }
                int n = Math.min(len, pending.length() - at);
                pending.getChars(at, at + n, buf, off);
                at += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
        long events = 0;
        long records = 0;
        try (AuditLogReader r = new AuditLogReader(lazy, "big.log", 64)) {
            for (AuditEvent e = r.next(); e != null; e = r.next()) {
                events++;
                records += e.records().size();
            }
            assertThat(r.mostOpen()).isLessThanOrEqualTo(64);
            assertThat(r.notUsed()).isEmpty();
            assertThat(r.lines()).isEqualTo(2L * count - 1);
        }
        assertThat(events).isEqualTo(count);
        assertThat(records).isEqualTo(2L * count - 1);
    }
}
