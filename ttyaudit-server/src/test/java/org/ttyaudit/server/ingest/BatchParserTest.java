package org.ttyaudit.server.ingest;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.server.index.ChunkIndexer;

import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.ttyaudit.server.testkit.RecordedSession;

import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

class BatchParserTest {

    private final BatchParser parser = new BatchParser(new ChunkIndexer());
    private final RecordedSession session = new RecordedSession("alice", "web-1");

    @Test
    void parsesHeaderChunksAndEndAndIndexesTheChunks() {
        Chunk a = session.command("cat /etc/passwd", "root:x:0:0", 0);
        Chunk b = session.command("false", "", 1);
        byte[] body = concat(session.headerFrame(), frames(a, b), RecordedSession.endFrame(session.end()));

        ReceivedBatch batch = parser.parse(session.id(), "host-1", body);

        assertThat(batch.header()).isEqualTo(session.header);
        assertThat(batch.chunks()).hasSize(2);
        assertThat(batch.chunks().get(0).commandStarts().get(0).commandLine()).isEqualTo("cat /etc/passwd");
        assertThat(batch.chunks().get(0).outputText()).isEqualTo("root:x:0:0\n");
        assertThat(batch.chunks().get(0).events()).extracting(e -> e.kind()).containsExactly("exec");
        assertThat(batch.chunks().get(1).commandEnds().get(0).exitCode()).isEqualTo(1);
        assertThat(batch.end()).isNotNull();
        assertThat(batch.bytes()).isEqualTo(body.length);
    }

    @Test
    void garbageIsMalformed() {
        assertRefused(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, IngestException.Problem.MALFORMED, "frame 0 at byte 0");
        assertRefused(new byte[0], IngestException.Problem.MALFORMED, "the body holds no frame");
    }

    @Test
    void aHeaderAfterAChunkIsMalformed() {
        Chunk a = session.command("ls", "x", 0);
        assertRefused(concat(frames(a), session.headerFrame()), IngestException.Problem.MALFORMED,
                "a session header must be the first frame");
    }

    @Test
    void aChunkOfAnotherSessionIsInvalid() {
        RecordedSession other = new RecordedSession("bob", "web-2");
        Chunk foreign = other.command("ls", "x", 0);
        assertRefused(frames(foreign), IngestException.Problem.INVALID, "belongs to session " + other.id());
    }

    @Test
    void aHeaderForAnotherSessionIsInvalid() {
        ReceivedBatchAssert.refused(() -> parser.parse(UUID.randomUUID(), "h", session.headerFrame()),
                IngestException.Problem.INVALID, "the session header is for session");
    }

    @Test
    void aChunkWhoseContentWasChangedAfterHashingIsInvalid() {
        Chunk a = session.command("ls", "secret-output", 0);
        byte[] payload = a.payload().clone();
        payload[payload.length - 1] ^= 1;
        Chunk altered = new Chunk(a.sessionId(), a.chunkSeq(), a.firstEventSeq(), a.eventCount(),
                a.firstOffsetMicros(), a.lastOffsetMicros(), a.codec(), a.uncompressedLength(), a.prevHash(),
                payload, a.hash());
        assertRefused(frames(altered), IngestException.Problem.INVALID, "its hash does not match its content");
    }

    @Test
    void chunksInARequestMustBeConsecutive() {
        Chunk a = session.command("ls", "x", 0);
        session.command("pwd", "y", 0);
        Chunk c = session.command("id", "z", 0);
        assertRefused(frames(a, c), IngestException.Problem.INVALID, "follows chunk 0 in the request");
    }

    @Test
    void nothingMayFollowTheEndRecord() {
        Chunk a = session.command("ls", "x", 0);
        assertRefused(concat(RecordedSession.endFrame(session.end()), frames(a)), IngestException.Problem.MALFORMED,
                "follows the session end record");
    }

    @Test
    void aTruncatedBodyIsMalformed() {
        byte[] body = concat(session.headerFrame(), frames(session.command("ls", "x", 0)));
        assertRefused(Arrays.copyOf(body, body.length - 1), IngestException.Problem.MALFORMED, "is incomplete");
    }

    private void assertRefused(byte[] body, IngestException.Problem problem, String message) {
        ReceivedBatchAssert.refused(() -> parser.parse(session.id(), "host-1", body), problem, message);
    }

    static final class ReceivedBatchAssert {
        static void refused(Runnable r, IngestException.Problem problem, String message) {
            assertThatThrownBy(r::run).isInstanceOfSatisfying(IngestException.class, e -> {
                assertThat(e.problem()).isEqualTo(problem);
                assertThat(e.getMessage()).contains(message);
            });
        }
    }
}
