package org.ttyaudit.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordVerifierTest {
    @TempDir
    Path dir;

    private byte[] sample(boolean finish) throws Exception {
        return Fixtures.read(Fixtures.writeSample(dir, finish));
    }

    private VerifyReport verify(byte[] bytes) throws Exception {
        return RecordVerifier.verify(Fixtures.write(dir, "check.tty", bytes));
    }

    /** Frames of the sample: 0 = header, 1..4 = chunks 0..3, 5 = end. */
    private static Fixtures.FrameAt frame(byte[] file, int index) {
        return Fixtures.frames(file).get(index);
    }

    @Test
    void untouchedRecordIsIntactAndComplete() throws Exception {
        VerifyReport r = verify(sample(true));
        assertThat(r.problems()).isEmpty();
        assertThat(r).extracting(VerifyReport::intact, VerifyReport::complete, VerifyReport::chunks,
                VerifyReport::events).containsExactly(true, true, 4L, 10L);
        assertThat(r.summary()).isEqualTo("intact, complete: 4 chunks, 10 events");
    }

    @Test
    void missingEndRecordIsIntactButIncomplete() throws Exception {
        byte[] file = sample(false);
        VerifyReport r = verify(file);
        assertThat(r.problems()).isEmpty();
        assertThat(r.intact()).isTrue();
        assertThat(r.complete()).isFalse();
        assertThat(r.notes()).containsExactly("incomplete: no session end record; the record ends cleanly after "
                + "chunk 3 at byte " + frame(file, 4).offset() + " (the recorder was killed or is still running)");
    }

    @Test
    void flippedByteInPayloadIsACrcMismatchNamingChunkAndOffset() throws Exception {
        byte[] file = sample(true);
        Fixtures.FrameAt chunk1 = frame(file, 2);
        file[chunk1.end() - 10] ^= 0x01;
        VerifyReport r = verify(file);
        assertThat(r.intact()).isFalse();
        assertThat(r.problems()).contains("chunk 1 (by its damaged header) frame at byte " + chunk1.offset()
                + " is damaged: CRC mismatch; the next valid frame is at byte " + chunk1.end());
        assertThat(r.problems()).contains("chunk 1 missing: chunk 2 at byte " + chunk1.end() + " follows chunk 0");
    }

    @Test
    void flippedByteWithCrcRecomputedIsCaughtByTheHash() throws Exception {
        byte[] file = sample(true);
        Fixtures.FrameAt chunk2 = frame(file, 3);
        file[chunk2.end() - 6] ^= 0x01; // last payload byte: the redacted count of a stored payload or zstd data
        Fixtures.fixCrc(file, chunk2);
        VerifyReport r = verify(file);
        assertThat(r.intact()).isFalse();
        assertThat(r.problems()).first().isEqualTo("chunk 2 at byte " + chunk2.offset()
                + ": hash mismatch — content altered");
    }

    @Test
    void rehashedChunkIsCaughtByTheNextLink() throws Exception {
        // An attacker who alters chunk 1 and also fixes its stored hash and CRC breaks chunk 2's prev_hash.
        byte[] file = sample(true);
        Fixtures.FrameAt f = frame(file, 2);
        // new content for chunk 1, sealed by a second encoder so its hash, prev hash and CRC are all consistent
        ChunkEncoder enc = new ChunkEncoder(Fixtures.header());
        enc.seal(Fixtures.sampleChunks().get(0));
        List<org.ttyaudit.core.model.Event> fake = List.of(Fixtures.out(1_200, "nothing to see"),
                Fixtures.out(1_300, "here"), Fixtures.out(1_400, "!"));
        Chunk replacement = enc.seal(fake);
        byte[] body = replacement.toBytes();
        byte[] newFrame = new byte[9 + body.length];
        java.nio.ByteBuffer.wrap(newFrame).putInt(body.length).put((byte) 2).put(body);
        Fixtures.fixCrc(newFrame, new Fixtures.FrameAt(0, body.length, 2));
        byte[] tampered = concat(Arrays.copyOf(file, f.offset()), newFrame, Arrays.copyOfRange(file, f.end(),
                file.length));
        VerifyReport r = verify(tampered);
        assertThat(r.intact()).isFalse();
        assertThat(r.problems()).containsExactly("chunk 2 at byte " + (f.offset() + newFrame.length)
                + ": prev_hash does not match the hash of chunk 1 at byte " + f.offset() + " — chain broken");
    }

    @Test
    void removedChunkIsAGap() throws Exception {
        byte[] file = sample(true);
        Fixtures.FrameAt chunk1 = frame(file, 2);
        byte[] cut = concat(Arrays.copyOf(file, chunk1.offset()), Arrays.copyOfRange(file, chunk1.end(), file.length));
        VerifyReport r = verify(cut);
        assertThat(r.intact()).isFalse();
        assertThat(r.problems()).first().isEqualTo("chunk 1 missing: chunk 2 at byte " + chunk1.offset()
                + " follows chunk 0");
        assertThat(r.problems()).anyMatch(p -> p.contains("counts 4 chunks but the file holds 3"));
    }

    @Test
    void swappedChunksAreReportedAsOutOfOrder() throws Exception {
        byte[] file = sample(true);
        Fixtures.FrameAt c1 = frame(file, 2);
        Fixtures.FrameAt c2 = frame(file, 3);
        byte[] swapped = concat(Arrays.copyOf(file, c1.offset()), Arrays.copyOfRange(file, c2.offset(), c2.end()),
                Arrays.copyOfRange(file, c1.offset(), c1.end()), Arrays.copyOfRange(file, c2.end(), file.length));
        VerifyReport r = verify(swapped);
        assertThat(r.intact()).isFalse();
        int newC1 = c1.offset() + (c2.end() - c2.offset());
        assertThat(r.problems()).containsExactly("chunk 1 at byte " + newC1 + " is out of order: it comes after "
                + "chunk 2 at byte " + c1.offset());
    }

    @Test
    void duplicatedChunkIsReported() throws Exception {
        byte[] file = sample(true);
        Fixtures.FrameAt c1 = frame(file, 2);
        byte[] dup = concat(Arrays.copyOf(file, c1.end()), Arrays.copyOfRange(file, c1.offset(), file.length));
        VerifyReport r = verify(dup);
        assertThat(r.problems()).containsExactly("chunk 1 at byte " + c1.end() + " duplicates chunk 1 at byte "
                + c1.offset());
    }

    @Test
    void truncationMidFrameIsReportedWithTheFrameOffsetAndSizes() throws Exception {
        byte[] file = sample(true);
        Fixtures.FrameAt c3 = frame(file, 4);
        VerifyReport r = verify(Arrays.copyOf(file, c3.offset() + 20));
        assertThat(r.intact()).isFalse();
        assertThat(r.complete()).isFalse();
        assertThat(r.chunks()).isEqualTo(3);
        assertThat(r.problems()).containsExactly("truncated: last frame at byte " + c3.offset()
                + " is incomplete (20 of " + (c3.end() - c3.offset()) + " bytes)");
    }

    @Test
    void truncationInsideALengthField() throws Exception {
        byte[] file = sample(true);
        Fixtures.FrameAt end = frame(file, 5);
        VerifyReport r = verify(Arrays.copyOf(file, end.offset() + 2));
        assertThat(r.problems()).containsExactly("truncated: last frame at byte " + end.offset()
                + " is incomplete (2 of at least 9 bytes)");
    }

    @Test
    void alteredEndRecordIsCaught() throws Exception {
        byte[] file = sample(true);
        Fixtures.FrameAt end = frame(file, 5);
        file[end.bodyStart() + 1 + 16 + 8 + 4 + 3] = 1; // exit status 0 -> 1
        Fixtures.fixCrc(file, end);
        VerifyReport r = verify(file);
        assertThat(r.problems()).containsExactly("session end at byte " + end.offset()
                + ": hash mismatch — content altered");
    }

    @Test
    void alteredSessionHeaderBreaksTheFirstLink() throws Exception {
        byte[] file = sample(true);
        Fixtures.FrameAt header = frame(file, 0);
        String json = new String(file, header.bodyStart(), header.bodyLength(), java.nio.charset.StandardCharsets.UTF_8);
        int at = json.indexOf("alice");
        file[header.bodyStart() + at] = 'm'; // user "alice" -> "mlice"
        Fixtures.fixCrc(file, header);
        VerifyReport r = verify(file);
        assertThat(r.problems()).containsExactly(
                "chunk 0 at byte " + frame(file, 1).offset() + ": prev_hash does not match the session header's hash"
                        + " — chain broken (header or chunk altered)");
    }

    @Test
    void chunkFromAnotherSessionIsReported() throws Exception {
        Path otherFile = dir.resolve("other.tty");
        try (RecordFileWriter w = RecordFileWriter.create(otherFile, Fixtures.header(Fixtures.OTHER_ID))) {
            for (List<org.ttyaudit.core.model.Event> c : Fixtures.sampleChunks()) {
                w.appendChunk(c);
            }
        }
        byte[] other = Fixtures.read(otherFile);
        byte[] file = sample(false);
        Fixtures.FrameAt mine = frame(file, 4);
        Fixtures.FrameAt theirs = frame(other, 4);
        byte[] mixed = concat(Arrays.copyOf(file, mine.offset()), Arrays.copyOfRange(other, theirs.offset(),
                theirs.end()));
        VerifyReport r = verify(mixed);
        assertThat(r.problems()).contains("chunk 3 at byte " + mine.offset() + ": belongs to session "
                + Fixtures.OTHER_ID + ", not " + Fixtures.ID);
    }

    @Test
    void notARecordGivesOneProblem() throws Exception {
        VerifyReport r = verify("#!/bin/sh\necho hi\n".getBytes());
        assertThat(r.problems()).containsExactly("not a ttyaudit record: bad magic at byte 0");
        assertThat(r.intact()).isFalse();
    }

    @Test
    void unknownFrameTypeIsNotIntactForTheVerifier() throws Exception {
        byte[] file = sample(true);
        byte[] extra = {0, 0, 0, 0, 9, 0, 0, 0, 0};
        Fixtures.fixCrc(extra, new Fixtures.FrameAt(0, 0, 9));
        Fixtures.FrameAt end = frame(file, 5);
        byte[] withExtra = concat(Arrays.copyOf(file, end.offset()), extra, Arrays.copyOfRange(file, end.offset(),
                file.length));
        VerifyReport r = verify(withExtra);
        assertThat(r.problems()).containsExactly("frame at byte " + end.offset() + " has unknown type 9 (written "
                + "by a newer version?); it is not covered by the hash chain");
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
