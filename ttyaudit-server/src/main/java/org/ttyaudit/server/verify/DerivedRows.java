package org.ttyaudit.server.verify;

import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.server.index.IndexedChunk;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.OutputText;
import org.ttyaudit.server.store.SessionEventRecord;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The index rows a server derives from a session's chunks when it ingests them — the command list (from
 * command-start and command-end events), exec, marker and file events, and the output text that full-text search
 * reads — recomputed from the chunks, exactly as ingest derives them ({@code ChunkIndexer}, {@code
 * IngestService}), and compared with the rows stored. They are not part of the hashed record, so the ledger
 * cannot vouch for them; but a row that disagrees with its chunk means the index was altered: a command line
 * changed to hide what was run, output removed from search.
 *
 * <p>Output text is compared chunk by chunk. Commands and events span chunks: once a chunk of the session cannot
 * be read (its own problem is reported), rows from it cannot be told from rows that were added, so from then on
 * only rows that disagree with a readable chunk are reported, and commands are not compared at all. Output text is
 * indexed in the background after the commit: a chunk after the session's indexer cursor that has no text rows
 * yet is counted as pending, not reported (altered or added rows are still reported). One session
 * at a time; its stored command and event rows are held in memory. Not thread-safe.
 */
final class DerivedRows {
    private final UUID sessionId;
    private final String session;
    private final Instant startedAt;
    private final Problems problems;
    private final Map<Long, CommandRecord> storedCommands = new LinkedHashMap<>();
    private final Map<Long, Expected> expectedCommands = new LinkedHashMap<>();
    private final Iterator<SessionEventRecord> storedEvents;
    private SessionEventRecord nextStored;
    private boolean complete = true;
    private final long textIndexedSeq;
    private long pendingText;

    private record Expected(CommandRecord command, long chunkSeq) {
    }

    /**
     * @param session   the session as problem lines begin ({@code session <id>})
     * @param startedAt the session's start, to which command offsets are added (as ingest does)
     * @param textIndexedSeq the last chunk whose output text the server has indexed (its background indexer's
     *                  cursor): a later chunk without output text rows is pending, not a problem
     */
    DerivedRows(UUID sessionId, String session, Instant startedAt, List<CommandRecord> commands,
                List<SessionEventRecord> events, long textIndexedSeq, Problems problems) {
        this.sessionId = sessionId;
        this.textIndexedSeq = textIndexedSeq;
        this.session = session;
        this.startedAt = startedAt;
        this.problems = problems;
        for (CommandRecord c : commands) {
            storedCommands.put(c.commandId(), c);
        }
        this.storedEvents = events.iterator();
        this.nextStored = storedEvents.hasNext() ? storedEvents.next() : null;
    }

    /** A chunk that could not be read or decoded: from here on the rows it would explain are unknown. */
    void unreadable() {
        complete = false;
    }

    /**
     * A chunk that was read, whose hash matches and whose events decoded ({@code indexed}), with the output text
     * rows stored for it.
     *
     * @param chunkName the chunk as problem lines begin ({@code session …: chunk 3 (blobs/…)})
     */
    void chunk(IndexedChunk indexed, List<OutputText> storedText, String chunkName) {
        long seq = indexed.chunk().chunkSeq();
        outputText(indexed, storedText, chunkName);
        events(indexed, chunkName);
        // as ingest: the chunk's starts first (the first of an id wins), then its ends complete stored commands
        Set<Long> ids = new HashSet<>();
        for (CommandStartEvent s : indexed.commandStarts()) {
            if (ids.add(s.commandId()) && !expectedCommands.containsKey(s.commandId())) {
                expectedCommands.put(s.commandId(), new Expected(new CommandRecord(sessionId, s.commandId(),
                        s.commandLine(), s.cwd(), s.source().jsonName(), at(s.offsetMicros()), s.offsetMicros(),
                        null, null, null), seq));
            }
        }
        for (CommandEndEvent e : indexed.commandEnds()) {
            Expected x = expectedCommands.get(e.commandId());
            if (x != null) {
                CommandRecord c = x.command();
                expectedCommands.put(e.commandId(), new Expected(new CommandRecord(sessionId, c.commandId(),
                        c.commandLine(), c.cwd(), c.source(), c.startedAt(), c.startOffsetMicros(),
                        at(e.offsetMicros()), e.offsetMicros(), e.exitCode()), x.chunkSeq()));
            }
        }
    }

    /** Chunks with output whose text the server has not indexed yet (after its cursor, without rows). */
    long pendingText() {
        return pendingText;
    }

    /** After the last chunk: the commands, and the event rows no chunk holds. */
    void finish() {
        while (complete && nextStored != null) {
            extraEvent(nextStored, null);
            advance();
        }
        if (!complete) {
            return;
        }
        for (Expected x : expectedCommands.values()) {
            CommandRecord derived = x.command();
            CommandRecord stored = storedCommands.remove(derived.commandId());
            String command = session + ": command " + derived.commandId();
            if (stored == null) {
                problems.add(command + " (" + Shown.text(derived.commandLine()) + ", in chunk " + x.chunkSeq()
                        + ") is missing from the command index — deleted from the index");
                continue;
            }
            List<String> differences = differences(stored, derived, "chunk " + x.chunkSeq());
            if (!differences.isEmpty()) {
                problems.add(command + ": the command index differs from chunk " + x.chunkSeq() + ": "
                        + String.join("; ", differences) + " — the index was altered");
            }
        }
        for (CommandRecord extra : storedCommands.values()) {
            problems.add(session + ": the command index holds command " + extra.commandId() + " ("
                    + Shown.text(extra.commandLine()) + "), which no chunk holds — added to the index");
        }
    }

    private void outputText(IndexedChunk indexed, List<OutputText> stored, String chunkName) {
        String derived = indexed.outputText();
        boolean expected = !derived.isBlank();
        if (!expected && stored.isEmpty()) {
            return;
        }
        if (stored.isEmpty() && indexed.chunk().chunkSeq() > textIndexedSeq) {
            // committed after the indexer's cursor: its text is still to come. (Rows that are there are compared
            // as usual, so a store read while the server indexes never reports a chunk indexed meanwhile.)
            pendingText++;
            return;
        }
        if (expected && stored.isEmpty()) {
            problems.add(chunkName + ": its output text is missing from the search index — deleted from the index");
            return;
        }
        if (!expected) {
            problems.add(chunkName + ": the search index holds output text the chunk does not have ("
                    + Shown.text(stored.get(0).text()) + ") — added to the index");
            return;
        }
        OutputText first = stored.get(0);
        if (!first.text().equals(derived)) {
            problems.add(chunkName + ": the search index's output text differs from the chunk's output "
                    + Shown.firstDifference(first.text(), derived, "the index", "the chunk")
                    + " — the index was altered");
        } else if (first.firstOffsetMicros() != indexed.chunk().firstOffsetMicros()) {
            problems.add(chunkName + ": the search index places its output text at " + first.firstOffsetMicros()
                    + " µs, the chunk starts at " + indexed.chunk().firstOffsetMicros() + " µs — the index was"
                    + " altered");
        }
        for (OutputText extra : stored.subList(1, stored.size())) {
            problems.add(chunkName + ": the search index holds a second output text for it ("
                    + Shown.text(extra.text()) + ") — added to the index");
        }
    }

    private void events(IndexedChunk indexed, String chunkName) {
        long from = indexed.chunk().firstEventSeq();
        long to = from + indexed.chunk().eventCount();
        // rows before this chunk are in chunks that could not be read, or were reported as extra already
        while (nextStored != null && nextStored.eventSeq() < from) {
            if (complete) {
                extraEvent(nextStored, null);
            }
            advance();
        }
        for (SessionEventRecord derived : indexed.events()) {
            while (nextStored != null && nextStored.eventSeq() < derived.eventSeq()) {
                extraEvent(nextStored, indexed.chunk().chunkSeq());
                advance();
            }
            String event = chunkName + ": its " + derived.kind() + " event " + derived.eventSeq();
            if (nextStored == null || nextStored.eventSeq() != derived.eventSeq()) {
                problems.add(event + " is missing from the event index — deleted from the index");
                continue;
            }
            List<String> differences = differences(nextStored, derived, "the chunk");
            if (!differences.isEmpty()) {
                problems.add(event + " differs from the event index: " + String.join("; ", differences)
                        + " — the index was altered");
            }
            advance();
        }
        while (nextStored != null && nextStored.eventSeq() < to) {
            extraEvent(nextStored, indexed.chunk().chunkSeq());
            advance();
        }
    }

    /** @param chunkSeq the chunk whose events range holds it, or null for none */
    private void extraEvent(SessionEventRecord e, Long chunkSeq) {
        problems.add(session + ": the event index holds a " + e.kind() + " event " + e.eventSeq() + " ("
                + Shown.text(e.detailJson()) + ") that " + (chunkSeq == null ? "no chunk holds"
                : "chunk " + chunkSeq + " does not hold") + " — added to the index");
    }

    private void advance() {
        nextStored = storedEvents.hasNext() ? storedEvents.next() : null;
    }

    private Instant at(long offsetMicros) {
        return startedAt.plusNanos(offsetMicros * 1000);
    }

    /** "commandLine is "…" in the database but "…" in chunk 3", one per field of the record that differs. */
    private static List<String> differences(Record stored, Record derived, String derivedWhere) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : stored.getClass().getRecordComponents()) {
            Object a = get(c, stored);
            Object b = get(c, derived);
            if (Objects.equals(a, b)) {
                continue;
            }
            if (a instanceof String x && b instanceof String y && Math.max(x.length(), y.length()) > 40) {
                // long texts (JSON details): show where they part, not two truncated beginnings
                out.add(c.getName() + " differs " + Shown.firstDifference(x, y, "the database", derivedWhere));
            } else {
                out.add(c.getName() + " is " + Shown.value(a) + " in the database but " + Shown.value(b) + " in "
                        + derivedWhere);
            }
        }
        return out;
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }
}
