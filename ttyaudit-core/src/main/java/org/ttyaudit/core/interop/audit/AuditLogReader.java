package org.ttyaudit.core.interop.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an audit log ({@code /var/log/audit/audit.log}, {@code ausearch --raw} output, or ausearch's default
 * output with its {@code ----} and {@code time->} lines) event by event, holding only a bounded window of it.
 *
 * <p>The records of one event share {@code msg=audit(TIME:SERIAL)} (and {@code node=}). The kernel writes them
 * together, but records of different events may interleave a little. An event is complete at its {@code EOE}
 * record, at ausearch's {@code ----} separator, at once for the single-record user-space types ({@code USER_*},
 * {@code CRED_*}, {@code LOGIN}), and at the end of the log. Events come out in the order their first record
 * appeared: an event that is complete waits for those that began before it.
 *
 * <p><b>The window.</b> At most {@code window} events are held at once (complete ones waiting for an earlier one
 * included), and each of at most {@value #MAX_RECORDS_PER_EVENT} records. When a record begins an event while
 * the window is full, the event that began first is taken as complete and handed on. A record that arrives after
 * its event was handed on — more than {@code window} events after the event began, or after its {@code EOE} — is
 * not used: it is counted as {@code late} in {@link #notUsed()}, and its event is handed on without it. The reader
 * remembers the last {@value #REMEMBERED_FACTOR}×{@code window} events handed on for this; a record later still
 * than that begins an event of its own, which lacks the records before it (a PATH or CWD without its SYSCALL maps
 * to nothing). Lines longer than {@value #MAX_LINE} characters are refused (the kernel's records are under 9 KiB).
 *
 * <p>Not thread-safe: one reader per log.
 */
public final class AuditLogReader implements Closeable {
    /** The default window: far more events than a busy system's kernel interleaves. */
    public static final int DEFAULT_WINDOW = 4096;
    public static final int MAX_RECORDS_PER_EVENT = 4096;
    public static final int MAX_LINE = 64 * 1024;
    /** How many windows of handed-on events are remembered, to tell a late record from the start of an event. */
    static final int REMEMBERED_FACTOR = 16;
    /** {@link #notUsed()} key: records that came after their event was handed on. */
    public static final String LATE = "late";
    /** {@link #notUsed()} key: records beyond {@value #MAX_RECORDS_PER_EVENT} of one event. */
    public static final String TOO_MANY = "too-many-in-event";

    private final Reader in;
    private final String source;
    private final AuditLineParser parser;
    private final int window;
    private final int remembered;
    /** The events begun and not handed on yet, in the order they began. */
    private final LinkedHashMap<String, Pending> open = new LinkedHashMap<>();
    /** Keys of the events handed on most recently, oldest first. */
    private final LinkedHashSet<String> handedOn = new LinkedHashSet<>();
    private final ArrayDeque<AuditEvent> ready = new ArrayDeque<>();
    private final Map<String, Integer> notUsed = new TreeMap<>();
    private final StringBuilder line = new StringBuilder();
    private final char[] buf = new char[64 * 1024];
    private int pos;
    private int limit;
    private long lineNo;
    private boolean ended;
    private int mostOpen;

    private static final class Pending {
        final List<AuditRecord> records = new ArrayList<>();
        boolean complete;
    }

    /**
     * @param source names the log in error messages
     * @param window the most events held at once (at least 1)
     */
    public AuditLogReader(Reader in, String source, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, not " + window);
        }
        this.in = in;
        this.source = source;
        this.parser = new AuditLineParser(source);
        this.window = window;
        this.remembered = (int) Math.min(Integer.MAX_VALUE, (long) window * REMEMBERED_FACTOR);
    }

    public AuditLogReader(Reader in, String source) {
        this(in, source, DEFAULT_WINDOW);
    }

    /** Every event of the log read from {@code in}, with the default window. */
    public static List<AuditEvent> read(Reader in, String source) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        try (AuditLogReader r = new AuditLogReader(in, source)) {
            for (AuditEvent e = r.next(); e != null; e = r.next()) {
                events.add(e);
            }
        }
        return events;
    }

    /**
     * The next event, or null at the end of the log.
     *
     * @throws AuditLogException naming the line, for a line that is no audit record
     */
    public AuditEvent next() throws IOException {
        while (ready.isEmpty() && !ended) {
            String text = readLine();
            if (text == null) {
                ended = true;
                open.values().forEach(p -> p.complete = true);
                handOnCompleted();
                break;
            }
            accept(text);
        }
        return ready.poll();
    }

    /** The records not used, by reason ({@link #LATE}, {@link #TOO_MANY}) → count; so far. */
    public Map<String, Integer> notUsed() {
        return java.util.Collections.unmodifiableMap(notUsed);
    }

    /** The most events held at once so far: never more than the window. */
    public int mostOpen() {
        return mostOpen;
    }

    /** The number of lines read so far. */
    public long lines() {
        return lineNo;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void accept(String text) throws AuditLogException {
        if (text.startsWith("----")) {
            // ausearch prints whole events between its separators
            open.values().forEach(p -> p.complete = true);
            handOnCompleted();
            return;
        }
        if (text.isBlank() || text.startsWith("time->")) {
            return;
        }
        AuditRecord r = parser.parse(text, lineNo);
        String key = r.time().toEpochMilli() + ":" + r.serial() + "@" + r.node();
        Pending p = open.get(key);
        if (r.type().equals("EOE")) {
            if (p != null) {
                p.complete = true;
                handOnCompleted();
            }
            return;
        }
        if (p == null) {
            if (handedOn.contains(key)) {
                notUsed.merge(LATE, 1, Integer::sum);
                return;
            }
            if (open.size() == window) {
                open.values().iterator().next().complete = true;   // the window is full: the oldest is done
                handOnCompleted();
            }
            p = new Pending();
            open.put(key, p);
            mostOpen = Math.max(mostOpen, open.size());
        }
        if (p.records.size() == MAX_RECORDS_PER_EVENT) {
            notUsed.merge(TOO_MANY, 1, Integer::sum);
            return;
        }
        p.records.add(r);
        if (standsAlone(r.type())) {
            p.complete = true;
            handOnCompleted();
        }
    }

    /** User-space messages are one record each, with no EOE after them. */
    private static boolean standsAlone(String type) {
        return type.startsWith("USER_") || type.startsWith("CRED_") || type.equals("LOGIN");
    }

    /** Hands on the complete events at the head of the window, in the order they began. */
    private void handOnCompleted() {
        Iterator<Map.Entry<String, Pending>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Pending> e = it.next();
            if (!e.getValue().complete) {
                return;
            }
            it.remove();
            List<AuditRecord> records = e.getValue().records;
            ready.add(new AuditEvent(records.get(0).time(), records.get(0).serial(), records));
            handedOn.add(e.getKey());
            if (handedOn.size() > remembered) {
                Iterator<String> oldest = handedOn.iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** The next line without its end, or null at the end; refuses an overlong line rather than holding it. */
    private String readLine() throws IOException {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit < 0) {
                    limit = 0;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            if (line.length() + (pos - start) > MAX_LINE) {
                throw new AuditLogException(source, lineNo + 1, "longer than " + MAX_LINE
                        + " characters: not an audit record");
            }
            line.append(buf, start, pos - start);
            if (pos < limit) {
                pos++;   // the newline
                break;
            }
        }
        lineNo++;
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }
}
