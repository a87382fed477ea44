package org.ttyaudit.core.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ttyaudit.core.model.SessionHeader;

/**
 * Checks a record file end to end and names everything wrong: magic and version, every frame's CRC, a torn
 * tail, the session header, each chunk (session id, stored hash against the recomputed one, payload decoding),
 * chunk seq continuity (gaps, reordering, duplicates), event seq continuity and time order, prev-hash linkage,
 * and the end record (its hash, counts and final hash). Rules: docs/FORMAT.md, "Verification".
 *
 * <p>Unlike the reader it does not stop at damage: it looks for the next valid frame and goes on, so one report
 * lists all problems. It streams the file and keeps only a few fields per chunk. Stateless and thread-safe.
 *
 * <p>A file that ends cleanly after a frame and has no end record is intact but incomplete (a recorder that was
 * killed); a truncation at a frame boundary is therefore only detectable against another copy (the server's
 * commit point).
 */
public final class RecordVerifier {
    private RecordVerifier() {
    }

    /** @throws IOException only if the file cannot be read; everything about its content goes into the report */
    public static VerifyReport verify(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Run(ch, ch.size()).verify();
        }
    }

    /** What the verifier keeps of a chunk after checking it on its own. */
    private record ChunkInfo(long seq, long offset, long firstEventSeq, int eventCount, long firstOffset,
                             long lastOffset, byte[] prevHash, byte[] hash) {
        String where() {
            return "chunk " + seq + " at byte " + offset;
        }
    }

    /** The state of one verification. */
    private static final class Run {
        private final FileChannel channel;
        private final long size;
        private final List<String> problems = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<ChunkInfo> fileOrder = new ArrayList<>();
        private final TreeMap<Long, ChunkInfo> bySeq = new TreeMap<>();
        private SessionHeader header;
        private byte[] headerHash;
        private SessionEndRecord end;
        private long endOffset = -1;
        private long lastFrameOffset = -1;
        private String lastFrameName;

        Run(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        VerifyReport verify() throws IOException {
            FormatException bad = RecordFileReader.fileHeaderProblem(channel, size);
            if (bad != null) {
                return new VerifyReport(false, false, 0, 0, List.of(bad.getMessage()));
            }
            scanFrames();
            checkOrderAndLinks();
            checkEnd();
            long events = 0;
            for (ChunkInfo c : bySeq.values()) {
                events += c.eventCount();
            }
            if (end == null && problems.isEmpty()) {
                notes.add("incomplete: no session end record; the record ends cleanly after "
                        + lastFrameName + " at byte " + lastFrameOffset
                        + " (the recorder was killed or is still running)");
            }
            return new VerifyReport(problems.isEmpty(), end != null, bySeq.size(), events, problems, notes);
        }

        private void scanFrames() throws IOException {
            FrameScanner scanner = new FrameScanner(channel, size, RecordFile.FILE_HEADER_LENGTH);
            boolean first = true;
            while (true) {
                FrameScanner.Step step = scanner.next();
                if (step instanceof FrameScanner.End e) {
                    if (first) {
                        problems.add("truncated: the file ends before the session header (byte " + e.offset()
                                + ")");
                    }
                    return;
                }
                if (step instanceof FrameScanner.Torn t) {
                    problems.add("truncated: last frame at byte " + t.offset() + " is incomplete ("
                            + t.available() + " of "
                            + (t.claimedTotal() < 0 ? "at least " + RecordFile.FRAME_OVERHEAD : t.claimedTotal())
                            + " bytes)");
                    return;
                }
                if (step instanceof FrameScanner.Damaged d) {
                    problems.add(describeDamage(d, first));
                    first = false;
                    if (d.resumeAt() < 0) {
                        return;
                    }
                    scanner.seek(d.resumeAt());
                    continue;
                }
                FrameScanner.Frame f = (FrameScanner.Frame) step;
                if (first && f.type() != RecordFile.TYPE_SESSION_HEADER) {
                    problems.add("the first frame at byte " + f.offset() + " is a " + RecordFile.typeName(f.type())
                            + ", not the session header");
                }
                first = false;
                frame(f);
            }
        }

        private String describeDamage(FrameScanner.Damaged d, boolean first) {
            String what;
            if (first) {
                what = "session header frame";
            } else if (d.type() == RecordFile.TYPE_CHUNK && d.body() != null && d.body().length >= 33) {
                // The seq is read from the damaged bytes, so it is a hint, not a fact.
                long seq = java.nio.ByteBuffer.wrap(d.body()).getLong(17);
                what = "chunk " + seq + " (by its damaged header) frame";
            } else {
                what = "frame";
            }
            String after = d.resumeAt() < 0 ? "; no valid frame follows"
                    : d.resumeAt() == size ? "" : "; the next valid frame is at byte " + d.resumeAt();
            return what + " at byte " + d.offset() + " is damaged: " + d.what() + after;
        }

        private void frame(FrameScanner.Frame f) {
            if (end != null) {
                problems.add(RecordFile.typeName(f.type()) + " frame at byte " + f.offset()
                        + " follows the session end record at byte " + endOffset);
            }
            switch (f.type()) {
                case RecordFile.TYPE_SESSION_HEADER -> sessionHeader(f);
                case RecordFile.TYPE_CHUNK -> chunk(f);
                case RecordFile.TYPE_SESSION_END -> sessionEnd(f);
                default -> problems.add("frame at byte " + f.offset() + " has unknown type " + f.type()
                        + " (written by a newer version?); it is not covered by the hash chain");
            }
        }

        private void sessionHeader(FrameScanner.Frame f) {
            if (headerHash != null) {
                problems.add("a second session header at byte " + f.offset());
                return;
            }
            headerHash = Sha256.of(f.body(), 0, f.body().length);
            lastFrameOffset = f.offset();
            lastFrameName = "the session header";
            try {
                header = SessionHeaderCodec.fromBytes(f.body());
            } catch (FormatException e) {
                problems.add("session header at byte " + f.offset() + " does not parse: " + e.getMessage());
            }
        }

        private void chunk(FrameScanner.Frame f) {
            Chunk c;
            try {
                c = Chunk.fromBytes(f.body());
            } catch (FormatException e) {
                problems.add("chunk frame at byte " + f.offset() + " does not parse: " + e.getMessage());
                return;
            }
            String where = "chunk " + c.chunkSeq() + " at byte " + f.offset();
            lastFrameOffset = f.offset();
            lastFrameName = "chunk " + c.chunkSeq();
            if (header != null && !c.sessionId().equals(header.sessionId())) {
                problems.add(where + ": belongs to session " + c.sessionId() + ", not " + header.sessionId());
            }
            if (!c.hashMatches()) {
                problems.add(where + ": hash mismatch — content altered");
            }
            try {
                c.decodeInto((seq, e) -> { }, null);
            } catch (FormatException e) {
                problems.add(where + ": payload does not decode: " + e.getMessage());
            }
            ChunkInfo info = new ChunkInfo(c.chunkSeq(), f.offset(), c.firstEventSeq(), c.eventCount(),
                    c.firstOffsetMicros(), c.lastOffsetMicros(), c.prevHash(), c.hash());
            ChunkInfo earlier = bySeq.get(c.chunkSeq());
            if (earlier != null) {
                problems.add(MessageDigest.isEqual(earlier.hash(), c.hash())
                        ? where + " duplicates chunk " + c.chunkSeq() + " at byte " + earlier.offset()
                        : where + ": a second, different chunk " + c.chunkSeq() + " (the first is at byte "
                                + earlier.offset() + ")");
                return;
            }
            bySeq.put(c.chunkSeq(), info);
            fileOrder.add(info);
        }

        private void sessionEnd(FrameScanner.Frame f) {
            if (end != null) {
                return; // already reported as following the end record
            }
            try {
                end = SessionEndRecord.fromBytes(f.body());
                endOffset = f.offset();
                lastFrameOffset = f.offset();
                lastFrameName = "the session end record";
            } catch (FormatException e) {
                problems.add("session end record at byte " + f.offset() + " does not parse: " + e.getMessage());
            }
        }

        private void checkOrderAndLinks() {
            ChunkInfo highest = null;
            for (ChunkInfo c : fileOrder) {
                if (highest != null && c.seq() < highest.seq()) {
                    problems.add(c.where() + " is out of order: it comes after chunk " + highest.seq() + " at byte "
                            + highest.offset());
                } else {
                    highest = c;
                }
            }
            long expected = 0;
            ChunkInfo previous = null;
            for (Map.Entry<Long, ChunkInfo> e : bySeq.entrySet()) {
                ChunkInfo c = e.getValue();
                if (c.seq() > expected) {
                    String missing = c.seq() - 1 == expected ? "chunk " + expected
                            : "chunks " + expected + "–" + (c.seq() - 1);
                    problems.add(missing + " missing: " + c.where()
                            + (previous == null ? " is the first chunk" : " follows chunk " + previous.seq()));
                }
                boolean adjacent = previous != null && previous.seq() == c.seq() - 1;
                if (c.seq() == 0) {
                    if (headerHash != null && !MessageDigest.isEqual(c.prevHash(), headerHash)) {
                        problems.add(c.where() + ": prev_hash does not match the session header's hash — chain "
                                + "broken (header or chunk altered)");
                    }
                    if (c.firstEventSeq() != 0) {
                        problems.add(c.where() + ": first event seq " + c.firstEventSeq() + ", expected 0");
                    }
                } else if (adjacent) {
                    if (!MessageDigest.isEqual(c.prevHash(), previous.hash())) {
                        problems.add(c.where() + ": prev_hash does not match the hash of chunk " + previous.seq()
                                + " at byte " + previous.offset() + " — chain broken");
                    }
                    long expectedEvent = previous.firstEventSeq() + previous.eventCount();
                    if (c.firstEventSeq() != expectedEvent) {
                        problems.add(c.where() + ": first event seq " + c.firstEventSeq() + ", expected "
                                + expectedEvent + " (events missing or duplicated)");
                    }
                    if (c.firstOffset() < previous.lastOffset()) {
                        problems.add(c.where() + ": starts at " + c.firstOffset() + " µs, before chunk "
                                + previous.seq() + " ends (" + previous.lastOffset() + " µs)");
                    }
                }
                expected = c.seq() + 1;
                previous = c;
            }
        }

        private void checkEnd() {
            if (end == null) {
                return;
            }
            String where = "session end at byte " + endOffset;
            if (header != null && !end.sessionId().equals(header.sessionId())) {
                problems.add(where + ": belongs to session " + end.sessionId() + ", not " + header.sessionId());
            }
            if (!end.hashMatches()) {
                problems.add(where + ": hash mismatch — content altered");
            }
            long events = 0;
            for (ChunkInfo c : bySeq.values()) {
                events += c.eventCount();
            }
            long nextSeq = bySeq.isEmpty() ? 0 : bySeq.lastKey() + 1;
            if (end.chunkCount() != bySeq.size()) {
                String tail = end.chunkCount() > nextSeq
                        ? " (" + (end.chunkCount() - 1 == nextSeq ? "chunk " + nextSeq
                                : "chunks " + nextSeq + "–" + (end.chunkCount() - 1)) + " missing at the end)"
                        : "";
                problems.add(where + ": counts " + end.chunkCount() + " chunks but the file holds " + bySeq.size()
                        + tail);
            }
            if (end.eventCount() != events) {
                problems.add(where + ": counts " + end.eventCount() + " events but the chunks hold " + events);
            }
            byte[] expectedFinal = bySeq.isEmpty() ? headerHash : bySeq.lastEntry().getValue().hash();
            if (expectedFinal != null && !MessageDigest.isEqual(end.finalHash(), expectedFinal)) {
                problems.add(where + ": final hash does not match the hash of "
                        + (bySeq.isEmpty() ? "the session header" : "chunk " + bySeq.lastKey()) + " — chain broken");
            }
        }
    }
}
