package org.ttyaudit.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.OutputEvent;

class ChunkEncoderTest {

    @Test
    void headerHashIsSha256OfTheHeaderRecordBytes() throws Exception {
        ChunkEncoder enc = new ChunkEncoder(Fixtures.header());
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(enc.headerRecordBytes());
        assertThat(enc.headerHash()).isEqualTo(expected);
        assertThat(SessionHeaderCodec.fromBytes(enc.headerRecordBytes())).isEqualTo(Fixtures.header());
    }

    @Test
    void chunksFormAChainStartingAtTheHeaderHash() {
        ChunkEncoder enc = new ChunkEncoder(Fixtures.header());
        byte[] prev = enc.headerHash();
        long events = 0;
        long seq = 0;
        for (List<Event> batch : Fixtures.sampleChunks()) {
            Chunk c = enc.seal(batch);
            assertThat(c.chunkSeq()).isEqualTo(seq++);
            assertThat(c.firstEventSeq()).isEqualTo(events);
            assertThat(c.eventCount()).isEqualTo(batch.size());
            assertThat(c.firstOffsetMicros()).isEqualTo(batch.get(0).offsetMicros());
            assertThat(c.lastOffsetMicros()).isEqualTo(batch.get(batch.size() - 1).offsetMicros());
            assertThat(c.prevHash()).isEqualTo(prev);
            assertThat(c.hash()).isEqualTo(c.computeHash());
            assertThat(Fixtures.describe(c.decodeEvents())).isEqualTo(Fixtures.describe(batch));
            prev = c.hash();
            events += batch.size();
        }
        SessionEndRecord end = enc.end(Fixtures.end());
        assertThat(end.chunkCount()).isEqualTo(4);
        assertThat(end.eventCount()).isEqualTo(events);
        assertThat(end.finalHash()).isEqualTo(prev);
        assertThat(end.hashMatches()).isTrue();
    }

    @Test
    void endWithoutChunksCarriesTheHeaderHash() {
        ChunkEncoder enc = new ChunkEncoder(Fixtures.header());
        SessionEndRecord end = enc.end(Fixtures.end());
        assertThat(end.chunkCount()).isZero();
        assertThat(end.finalHash()).isEqualTo(enc.headerHash());
    }

    @Test
    void hashIsSha256OfPrevHashCanonicalHeaderAndPayload() throws Exception {
        Chunk c = new ChunkEncoder(Fixtures.header()).seal(List.of(Fixtures.out(3, "hello")));
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(c.prevHash());
        d.update(java.util.Arrays.copyOf(c.toBytes(), 62));
        d.update(c.payload());
        assertThat(c.hash()).isEqualTo(d.digest());
    }

    @Test
    void compressibleOutputIsZstdAndRandomBytesAreStored() {
        ChunkEncoder enc = new ChunkEncoder(Fixtures.header());
        Chunk text = enc.seal(List.of(Fixtures.out(0, "drwxr-xr-x  2 root root 4096 .\r\n".repeat(500))));
        assertThat(text.codec()).isEqualTo(PayloadCodec.ZSTD);
        assertThat(text.payload().length).isLessThan(text.uncompressedLength() / 10);

        byte[] noise = new byte[8192];
        new Random(1).nextBytes(noise);
        Chunk random = enc.seal(List.of(new OutputEvent(1, noise)));
        assertThat(random.codec()).isEqualTo(PayloadCodec.STORED);
        assertThat(random.payload().length).isEqualTo(random.uncompressedLength());
        assertThat(((OutputEvent) random.decodeEvents().get(0)).data()).isEqualTo(noise);
    }

    @Test
    void chunkBytesRoundTrip() {
        ChunkEncoder enc = new ChunkEncoder(Fixtures.header());
        for (List<Event> batch : Fixtures.sampleChunks()) {
            Chunk c = enc.seal(batch);
            byte[] bytes = c.toBytes();
            assertThat(bytes).hasSize(126 + c.payload().length);
            assertThat(Chunk.fromBytes(bytes)).isEqualTo(c);
        }
    }

    @Test
    void changingAnyHashedFieldChangesTheHash() {
        Chunk c = new ChunkEncoder(Fixtures.header()).seal(List.of(Fixtures.out(3, "hello")));
        byte[] bytes = c.toBytes();
        // every byte of the canonical header and the payload, and the prev hash, is covered
        for (int i = 0; i < bytes.length; i++) {
            if (i >= 94 && i < 126) {
                continue; // the stored hash itself
            }
            byte[] altered = bytes.clone();
            altered[i] ^= 0x01;
            Chunk parsed;
            try {
                parsed = Chunk.fromBytes(altered);
            } catch (FormatException e) {
                continue; // not even a chunk any more: also detected
            }
            assertThat(parsed.hashMatches()).as("flip at byte %d", i).isFalse();
        }
    }

    @Test
    void sealRejectsAnEmptyListAndTimeGoingBackAcrossChunks() {
        ChunkEncoder enc = new ChunkEncoder(Fixtures.header());
        assertThatThrownBy(() -> enc.seal(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a chunk needs at least one event");
        enc.seal(List.of(Fixtures.out(100, "a")));
        assertThatThrownBy(() -> enc.seal(List.of(Fixtures.out(99, "b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("first event (output) goes back in time: 99 µs after 100 µs in the previous chunk");
        // a rejected batch does not advance the chain
        assertThat(enc.seal(List.of(Fixtures.out(100, "c"))).chunkSeq()).isEqualTo(1);
    }

    @Test
    void noChunkAfterTheEnd() {
        ChunkEncoder enc = new ChunkEncoder(Fixtures.header());
        enc.end(Fixtures.end());
        assertThatThrownBy(() -> enc.seal(List.of(Fixtures.out(0, "x")))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> enc.end(Fixtures.end())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void payloadThatDisagreesWithItsHeaderIsAFormatErrorNamingTheChunk() {
        Chunk c = new ChunkEncoder(Fixtures.header()).seal(List.of(Fixtures.out(3, "a"), Fixtures.out(4, "b")));
        Chunk wrongCount = new Chunk(c.sessionId(), 9, 0, 3, 3, 4, c.codec(), c.uncompressedLength(), c.prevHash(),
                c.payload(), c.hash());
        assertThatThrownBy(wrongCount::decodeEvents).isInstanceOf(FormatException.class)
                .hasMessage("chunk 9: payload holds 2 events, header says 3");
        Chunk wrongTime = new Chunk(c.sessionId(), 9, 0, 2, 3, 5, c.codec(), c.uncompressedLength(), c.prevHash(),
                c.payload(), c.hash());
        assertThatThrownBy(wrongTime::decodeEvents).isInstanceOf(FormatException.class)
                .hasMessage("chunk 9: payload spans 3..4 µs, header says 3..5 µs");
    }

    @Test
    void corruptZstdPayloadIsAFormatError() {
        Chunk c = new ChunkEncoder(Fixtures.header()).seal(List.of(Fixtures.out(0, "abcabcabc".repeat(100))));
        assertThat(c.codec()).isEqualTo(PayloadCodec.ZSTD);
        byte[] broken = c.payload().clone();
        broken[broken.length / 2] ^= 0x55;
        broken[broken.length - 1] ^= 0x55;
        Chunk bad = new Chunk(c.sessionId(), 0, 0, 1, 0, 0, PayloadCodec.ZSTD, c.uncompressedLength(), c.prevHash(),
                broken, c.hash());
        assertThatThrownBy(bad::decodeEvents).isInstanceOf(FormatException.class).hasMessageStartingWith("chunk 0: ");
    }

    @Test
    void sessionEndRecordRoundTripsWithAndWithoutSignal() {
        byte[] h = new byte[32];
        for (var end : List.of(Fixtures.end(),
                new org.ttyaudit.core.model.SessionEnd(Fixtures.START.plusNanos(123), 137, 9, "signal"))) {
            SessionEndRecord r = SessionEndRecord.create(Fixtures.ID, end, 3, 42, h);
            SessionEndRecord back = SessionEndRecord.fromBytes(r.toBytes());
            assertThat(back).isEqualTo(r);
            assertThat(back.hashMatches()).isTrue();
        }
    }
}
