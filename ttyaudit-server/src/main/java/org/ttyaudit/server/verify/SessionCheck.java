package org.ttyaudit.server.verify;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.SessionEndRecord;
import org.ttyaudit.core.format.SessionHeaderCodec;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.index.ChunkIndexer;
import org.ttyaudit.server.index.IndexedChunk;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.SessionEndInfo;
import org.ttyaudit.server.store.SessionQueries;
import org.ttyaudit.server.store.SessionRecord;

import java.lang.reflect.RecordComponent;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks one session at a time: its header (bytes, hash, the columns derived from it), its chunks in seq order a
 * page at a time (each chunk's blob: present, parses, is this chunk, hash matches content and row; the chain of
 * prev hashes from the header hash; event seqs; no chunk missing up to the commit point), the session's last
 * hash and event count, its end record, the index rows derived from its chunks ({@link DerivedRows}) and every
 * row's ledger leaf ({@link LeafClaims}).
 *
 * <p>A session whose content retention pruned (docs/RETENTION.md) is checked without its content: its header, the
 * chain of hashes its chunk rows carry (prev hash to hash, from the header hash to its last hash), its end record
 * against those rows, every row's ledger leaf as usual, and its tombstone: a TOMBSTONE leaf after its end leaf,
 * naming its last chunk and that chunk's hash. A session whose recorder never sent an end may be pruned too (aged
 * by its last activity): it then has no end record, and its tombstone must come after its last chunk's leaf. Its
 * blobs are not read (they are deleted, or about to be), and it must have no command, event or output text rows
 * left.
 *
 * <p>A chunk's blob is read and decoded one at a time, so memory holds one chunk (≤ 64 MiB of payload) and one
 * page of chunk rows. Not thread-safe.
 */
final class SessionCheck {
    private static final int CHUNK_PAGE = 256;

    private final SessionQueries sessions;
    private final ChunkBlobs blobs;
    private final LeafClaims claims;
    private final Problems problems;
    private final ChunkIndexer indexer = new ChunkIndexer();
    private long sessionCount;
    private long chunkCount;
    private long pendingTextChunks;
    private long pendingTextSessions;
    private long prunedSessions;

    SessionCheck(SessionQueries sessions, ChunkBlobs blobs, LeafClaims claims, Problems problems) {
        this.sessions = sessions;
        this.blobs = blobs;
        this.claims = claims;
        this.problems = problems;
    }

    long sessions() {
        return sessionCount;
    }

    long chunks() {
        return chunkCount;
    }

    /** Chunks whose output the server has not indexed for search yet, and the sessions they are in. */
    long pendingTextChunks() {
        return pendingTextChunks;
    }

    long pendingTextSessions() {
        return pendingTextSessions;
    }

    /** Sessions whose content retention pruned (checked by their rows, leaves and tombstone). */
    long prunedSessions() {
        return prunedSessions;
    }

    /** Where the session's hash chain and event count stand after the chunks checked so far. */
    private static final class Chain {
        byte[] lastHash;
        long events;
        /** False after a chunk that is missing: the next chunk cannot be checked against its predecessor. */
        boolean known = true;
        /** The ledger leaf of the last chunk row walked, -1 before the first. */
        long lastLeaf = -1;

        Chain(byte[] headerHash) {
            this.lastHash = headerHash;
        }
    }

    void check(SessionRecord s) {
        sessionCount++;
        UUID id = s.id();
        String name = "session " + id;
        SessionHeader header = header(s, name);
        if (isHash(s.headerHash())) {
            claims.claim(s.ledgerIndex(), new LedgerEntry(LedgerEntry.Kind.SESSION_START, id, 0, s.headerHash()),
                    name + ": its start", "the session's header hash is");
        } else {
            problems.add(name + ": its header hash is " + Shown.hash(s.headerHash()));
        }
        if (s.isPruned()) {
            pruned(s, name);
            return;
        }
        Instant startedAt = header != null ? header.startedAt() : s.header().startedAt();
        DerivedRows derived = new DerivedRows(id, name, startedAt, sessions.commands(id),
                sessions.events(id, List.of()), sessions.outputTextIndexedSeq(id), problems);

        Chain chain = new Chain(s.headerHash());
        long next = 0;
        long from = 0;
        while (true) {
            List<ChunkRecord> page = sessions.chunks(id, from, CHUNK_PAGE);
            for (ChunkRecord row : page) {
                if (row.seq() > next) {
                    problems.add(name + ": " + range(next, row.seq() - 1) + " missing from the database (the rows"
                            + " jump from " + (next == 0 ? "the start" : "chunk " + (next - 1)) + " to chunk "
                            + row.seq() + ")");
                    chain.known = false;
                    derived.unreadable();
                }
                chunk(s, row, chain, derived);
                next = row.seq() + 1;
            }
            if (page.size() < CHUNK_PAGE) {
                break;
            }
            from = page.get(page.size() - 1).seq() + 1;
        }
        boolean tailMissing = next - 1 < s.committedSeq();
        if (tailMissing) {
            problems.add(name + ": " + range(next, s.committedSeq()) + " missing from the database (the session's"
                    + " commit point is chunk " + s.committedSeq() + ", the rows end "
                    + (next == 0 ? "before chunk 0" : "at chunk " + (next - 1)) + ")");
            derived.unreadable();
        } else if (chain.known) {
            if (!Arrays.equals(s.lastHash(), chain.lastHash)) {
                problems.add(name + ": its last hash " + Shown.hash(s.lastHash()) + " is not "
                        + (next == 0 ? "its header hash " : "the hash of its last chunk, ")
                        + Shown.hash(chain.lastHash) + " — the session row was altered");
            }
            if (s.eventCount() != chain.events) {
                problems.add(name + ": its row counts " + s.eventCount() + " events, its chunks hold "
                        + chain.events + " — the session row was altered");
            }
        }
        if (s.end() != null) {
            end(s, name, next, chain, !tailMissing && chain.known);
        }
        derived.finish();
        if (derived.pendingText() > 0) {
            pendingTextChunks += derived.pendingText();
            pendingTextSessions++;
        }
    }

    /** A pruned session: the chain of its chunk rows, its end, its tombstone, and no content rows left. */
    private void pruned(SessionRecord s, String name) {
        prunedSessions++;
        Chain chain = new Chain(s.headerHash());
        long next = prunedChunkRows(s, name, chain);
        boolean whole = next - 1 == s.committedSeq() && Arrays.equals(s.lastHash(), chain.lastHash);
        if (next - 1 != s.committedSeq()) {
            problems.add(name + ": pruned, but its chunk rows end at " + (next == 0 ? "none" : "chunk " + (next - 1))
                    + " while its commit point is chunk " + s.committedSeq() + " — chunk rows were removed or added");
        } else if (!Arrays.equals(s.lastHash(), chain.lastHash)) {
            problems.add(name + ": its last hash " + Shown.hash(s.lastHash()) + " is not the hash of its last chunk"
                    + " row, " + Shown.hash(chain.lastHash) + " — the session row was altered");
        }
        if (s.end() == null) {
            // pruned without an end (its recorder never sent one): allowed when it has chunks and its tombstone
            // closes the chain after the last of them, so nothing can have been accepted after the prune
            if (next == 0) {
                problems.add(name + ": pruned without an end record and without chunks — retention prunes only"
                        + " sessions with content");
            } else if (s.pruned().ledgerIndex() <= chain.lastLeaf) {
                problems.add(name + ": its tombstone (ledger leaf " + s.pruned().ledgerIndex() + ") comes before its"
                        + " last chunk (ledger leaf " + chain.lastLeaf + ") — a chunk was accepted after the prune");
            }
        } else {
            end(s, name, next, chain, whole);
            if (s.pruned().ledgerIndex() <= s.end().ledgerIndex()) {
                problems.add(name + ": its tombstone (ledger leaf " + s.pruned().ledgerIndex() + ") comes before its"
                        + " end (ledger leaf " + s.end().ledgerIndex() + ") — a session is pruned only after it ended");
            }
        }
        if (isHash(s.lastHash())) {
            claims.claim(s.pruned().ledgerIndex(), new LedgerEntry(LedgerEntry.Kind.TOMBSTONE, s.id(),
                    s.committedSeq(), s.lastHash()), name + ": its tombstone", "the session's last hash is");
        }
        int commands = sessions.commands(s.id()).size();
        int events = sessions.events(s.id(), List.of()).size();
        int texts = sessions.outputText(s.id(), 0, Math.max(0, s.committedSeq())).size();
        if (commands + events + texts > 0) {
            problems.add(name + ": pruned on " + s.pruned().prunedAt() + ", but the index still holds " + commands
                    + " commands, " + events + " events and " + texts + " output text rows of it — added after"
                    + " pruning, or the pruning was undone");
        }
    }

    /**
     * Walks a pruned session's chunk rows in seq order, a page at a time: the chain of their hashes (each prev hash
     * the previous row's hash, from the header hash), their event seqs, and each row's ledger leaf; the blobs are
     * not read. Returns the seq after the last row.
     */
    private long prunedChunkRows(SessionRecord s, String name, Chain chain) {
        long next = 0;
        long from = 0;
        while (true) {
            List<ChunkRecord> page = sessions.chunks(s.id(), from, CHUNK_PAGE);
            for (ChunkRecord row : page) {
                chunkCount++;
                String where = name + ": chunk " + row.seq();
                if (row.seq() != next) {
                    problems.add(name + ": " + range(next, row.seq() - 1) + " missing from the database (the rows"
                            + " jump from " + (next == 0 ? "the start" : "chunk " + (next - 1)) + " to chunk "
                            + row.seq() + ")");
                    chain.known = false;
                }
                if (chain.known && !Arrays.equals(row.prevHash(), chain.lastHash)) {
                    problems.add(where + ": its row's prev hash " + Shown.hash(row.prevHash()) + " does not continue"
                            + " the chain: " + (row.seq() == 0 ? "the header hash" : "chunk " + (row.seq() - 1)
                            + "'s hash") + " is " + Shown.hash(chain.lastHash) + " — the chunk rows were altered");
                }
                if (chain.known && row.firstEventSeq() != chain.events) {
                    problems.add(where + ": its first event seq " + row.firstEventSeq() + " does not continue the "
                            + chain.events + " events before it");
                }
                if (isHash(row.hash())) {
                    claims.claim(row.ledgerIndex(), new LedgerEntry(LedgerEntry.Kind.CHUNK, s.id(), row.seq(),
                            row.hash()), where, "the chunk row's hash is");
                } else {
                    problems.add(where + ": its row's hash is " + Shown.hash(row.hash()));
                }
                chain.lastHash = row.hash();
                chain.events = row.firstEventSeq() + row.eventCount();
                chain.known = true;
                chain.lastLeaf = row.ledgerIndex();
                next = row.seq() + 1;
            }
            if (page.size() < CHUNK_PAGE) {
                break;
            }
            from = page.get(page.size() - 1).seq() + 1;
        }
        return next;
    }

    /** Checks the stored header; returns it parsed, or null when it does not parse. */
    private SessionHeader header(SessionRecord s, String name) {
        byte[] computed = Sha256.of(s.headerBytes());
        if (!Arrays.equals(computed, s.headerHash())) {
            problems.add(name + ": its stored header bytes hash to " + Shown.hash(computed) + ", not to its header"
                    + " hash " + Shown.hash(s.headerHash()) + " — the header was altered");
        }
        SessionHeader parsed;
        try {
            parsed = SessionHeaderCodec.fromBytes(s.headerBytes());
        } catch (RuntimeException e) {
            problems.add(name + ": its stored header does not parse: " + e.getMessage());
            return null;
        }
        if (!parsed.sessionId().uuid().equals(s.id())) {
            problems.add(name + ": its stored header is the header of session " + parsed.sessionId());
            return null;
        }
        List<String> differences = new ArrayList<>();
        for (RecordComponent c : SessionHeader.class.getRecordComponents()) {
            Object column = get(c, s.header());
            Object recorded = get(c, parsed);
            if (!Objects.equals(column, recorded)) {
                differences.add(c.getName() + " is " + Shown.value(column) + " in the database but "
                        + Shown.value(recorded) + " in the header");
            }
        }
        if (!differences.isEmpty()) {
            problems.add(name + ": the session row differs from its header record: " + String.join("; ", differences)
                    + " — the session row was altered");
        }
        return parsed;
    }

    private void chunk(SessionRecord s, ChunkRecord row, Chain chain, DerivedRows derived) {
        chunkCount++;
        String where = "session " + s.id() + ": chunk " + row.seq() + " (" + blobs.location(row.blobKey()) + ")";
        if (row.seq() > s.committedSeq()) {
            problems.add(where + ": its row is beyond the session's commit point (chunk " + s.committedSeq() + ")");
        }
        byte[] bytes = read(row, where);
        Chunk chunk = bytes == null ? null : parse(s.id(), row, bytes, where);
        boolean intact = chunk != null && chunk.hashMatches();
        if (chunk != null && !intact) {
            problems.add(where + ": hash mismatch — content altered");
        }
        if (intact) {
            compareRow(row, chunk, bytes.length, where);
        }
        byte[] prevHash = intact ? chunk.prevHash() : row.prevHash();
        long firstEvent = intact ? chunk.firstEventSeq() : row.firstEventSeq();
        long eventCount = intact ? chunk.eventCount() : row.eventCount();
        if (chain.known && !Arrays.equals(prevHash, chain.lastHash)) {
            problems.add(where + ": its prev hash " + Shown.hash(prevHash) + " does not continue the chain: "
                    + (row.seq() == 0 ? "the header hash" : "chunk " + (row.seq() - 1) + "'s hash") + " is "
                    + Shown.hash(chain.lastHash) + " — chain broken");
        }
        if (chain.known && firstEvent != chain.events) {
            problems.add(where + ": its first event seq " + firstEvent + " does not continue the " + chain.events
                    + " events before it");
        }
        if (isHash(row.hash())) {
            claims.claim(row.ledgerIndex(), new LedgerEntry(LedgerEntry.Kind.CHUNK, s.id(), row.seq(), row.hash()),
                    where, "the chunk row's hash is");
        } else {
            problems.add(where + ": its row's hash is " + Shown.hash(row.hash()));
        }
        if (intact) {
            index(chunk, bytes, s, row, where, derived);
        } else {
            derived.unreadable();
        }
        chain.lastHash = intact ? chunk.hash() : row.hash();
        chain.events = firstEvent + eventCount;
        chain.known = true;
    }

    /** The blob's bytes, or null (reported) when it is missing or unreadable. */
    private byte[] read(ChunkRecord row, String where) {
        try {
            Optional<byte[]> bytes = blobs.read(row.blobKey());
            if (bytes.isEmpty()) {
                problems.add(where + ": blob missing — the file was deleted or moved");
                return null;
            }
            return bytes.get();
        } catch (RuntimeException e) {
            problems.add(where + ": cannot be read: " + e.getMessage());
            return null;
        }
    }

    /** The chunk the blob holds, or null (reported) when it does not parse or is another chunk. */
    private Chunk parse(UUID sessionId, ChunkRecord row, byte[] bytes, String where) {
        Chunk chunk;
        try {
            chunk = Chunk.fromBytes(bytes);
        } catch (RuntimeException e) {
            problems.add(where + ": does not parse (" + bytes.length + " bytes, its row says " + row.storedBytes()
                    + "): " + e.getMessage() + " — truncated or damaged");
            return null;
        }
        if (!chunk.sessionId().uuid().equals(sessionId) || chunk.chunkSeq() != row.seq()) {
            problems.add(where + ": the file holds chunk " + chunk.chunkSeq()
                    + (chunk.sessionId().uuid().equals(sessionId) ? "" : " of session " + chunk.sessionId())
                    + " — blob files swapped or renamed");
            return null;
        }
        return chunk;
    }

    /** The row's copy of the chunk's fields must be the chunk's (the chunk's hash vouches for the chunk). */
    private void compareRow(ChunkRecord row, Chunk chunk, int storedBytes, String where) {
        if (!MessageDigest.isEqual(row.hash(), chunk.hash())) {
            problems.add(where + ": its row's hash " + Shown.hash(row.hash()) + " differs from the chunk's hash "
                    + Shown.hash(chunk.hash()) + " — the chunk row was altered");
        }
        List<String> differences = new ArrayList<>();
        if (!MessageDigest.isEqual(row.prevHash(), chunk.prevHash())) {
            differences.add("prev hash " + Shown.hash(row.prevHash()) + " ≠ " + Shown.hash(chunk.prevHash()));
        }
        differ(differences, "first event seq", row.firstEventSeq(), chunk.firstEventSeq());
        differ(differences, "event count", row.eventCount(), chunk.eventCount());
        differ(differences, "first offset µs", row.firstOffsetMicros(), chunk.firstOffsetMicros());
        differ(differences, "last offset µs", row.lastOffsetMicros(), chunk.lastOffsetMicros());
        differ(differences, "stored bytes", row.storedBytes(), storedBytes);
        if (row.rawBytes() >= 0) {   // −1: stored before raw sizes were counted
            differ(differences, "raw bytes", row.rawBytes(), chunk.uncompressedLength());
        }
        if (!differences.isEmpty()) {
            problems.add(where + ": its row differs from the chunk (row ≠ chunk): " + String.join(", ", differences)
                    + " — the chunk row was altered");
        }
    }

    private static void differ(List<String> out, String field, long row, long chunk) {
        if (row != chunk) {
            out.add(field + " " + row + " ≠ " + chunk);
        }
    }

    private void index(Chunk chunk, byte[] bytes, SessionRecord s, ChunkRecord row, String where,
                       DerivedRows derived) {
        IndexedChunk indexed;
        try {
            indexed = indexer.index(chunk, bytes);
        } catch (RuntimeException e) {
            problems.add(where + ": its events do not decode: " + e.getMessage());
            derived.unreadable();
            return;
        }
        derived.chunk(indexed, sessions.outputText(s.id(), row.seq(), row.seq()), where);
    }

    /**
     * The end record: parses, is this session's, its hash matches its content and the stored end hash, the
     * columns derived from it agree, its counts and final hash match the chunks, and its ledger leaf.
     *
     * @param chunks how many chunk rows there are (the next seq); {@code chainKnown} whether the chain is whole
     */
    private void end(SessionRecord s, String name, long chunks, Chain chain, boolean chainKnown) {
        SessionEndInfo e = s.end();
        String where = name + ": its end record";
        if (isHash(e.endHash())) {
            claims.claim(e.ledgerIndex(), new LedgerEntry(LedgerEntry.Kind.SESSION_END, s.id(), 0, e.endHash()),
                    where, "the stored end hash is");
        } else {
            problems.add(where + ": its stored hash is " + Shown.hash(e.endHash()));
        }
        SessionEndRecord record;
        try {
            record = SessionEndRecord.fromBytes(e.recordBytes());
        } catch (RuntimeException x) {
            problems.add(where + " does not parse: " + x.getMessage() + " — truncated or damaged");
            return;
        }
        if (!record.sessionId().uuid().equals(s.id())) {
            problems.add(where + " is the end record of session " + record.sessionId());
            return;
        }
        if (!record.hashMatches()) {
            problems.add(where + ": hash mismatch — content altered");
            return;
        }
        if (!MessageDigest.isEqual(record.hash(), e.endHash())) {
            problems.add(where + ": its hash " + Shown.hash(record.hash()) + " differs from the stored end hash "
                    + Shown.hash(e.endHash()) + " — the session row was altered");
        }
        List<String> differences = new ArrayList<>();
        if (!record.end().equals(e.end())) {
            differences.add("the end is " + e.end() + " in the database but " + record.end() + " in the record");
        }
        if (record.chunkCount() != e.chunkCount() || record.eventCount() != e.eventCount()
                || !MessageDigest.isEqual(record.finalHash(), e.finalHash())) {
            differences.add("the database counts " + e.chunkCount() + " chunks and " + e.eventCount()
                    + " events ending in " + Shown.hash(e.finalHash()) + ", the record " + record.chunkCount()
                    + " chunks and " + record.eventCount() + " events ending in " + Shown.hash(record.finalHash()));
        }
        if (!differences.isEmpty()) {
            problems.add(where + ": the session row differs from it: " + String.join("; ", differences)
                    + " — the session row was altered");
        }
        if (chainKnown && (record.chunkCount() != chunks || record.eventCount() != chain.events
                || !MessageDigest.isEqual(record.finalHash(), chain.lastHash))) {
            problems.add(where + " does not match the chunks: it counts " + record.chunkCount() + " chunks and "
                    + record.eventCount() + " events ending in " + Shown.hash(record.finalHash())
                    + ", the database holds " + chunks + " chunks and " + chain.events + " events ending in "
                    + Shown.hash(chain.lastHash) + " — chunks were removed or added");
        }
    }

    private static String range(long from, long to) {
        return from == to ? "chunk " + from : "chunks " + from + ".." + to;
    }

    private static boolean isHash(byte[] hash) {
        return hash != null && hash.length == Sha256.LENGTH;
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }
}
