package org.ttyaudit.core.format;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.Event;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class WireFramesTest {

    @TempDir
    Path dir;

    @Test
    void aSpoolFilesFramesAreTheWireBody() throws IOException {
        byte[] file = Fixtures.read(Fixtures.writeSample(dir, true));
        byte[] body = Arrays.copyOfRange(file, 12, file.length);

        List<WireFrames.Frame> frames = WireFrames.decode(body);

        assertThat(frames).extracting(WireFrames.Frame::type).containsExactly(
                WireFrames.Type.SESSION_HEADER, WireFrames.Type.CHUNK, WireFrames.Type.CHUNK, WireFrames.Type.CHUNK,
                WireFrames.Type.CHUNK, WireFrames.Type.SESSION_END);
        assertThat(Chunk.fromBytes(frames.get(1).body()).hashMatches()).isTrue();
        assertThat(SessionEndRecord.fromBytes(frames.get(5).body()).hashMatches()).isTrue();
        assertThat(WireFrames.encode(frames)).isEqualTo(body);
    }

    @Test
    void emptyBodyHasNoFrames() {
        assertThat(WireFrames.decode(new byte[0])).isEmpty();
    }

    @Test
    void aFlippedByteIsNamedByFrameAndOffset() {
        byte[] body = sampleBody();
        int second = frameOffsets(body).get(1);
        body[second + 20] ^= 1;

        assertThatThrownBy(() -> WireFrames.decode(body)).isInstanceOf(FormatException.class)
                .hasMessage("frame 1 at byte " + second + " (chunk): CRC mismatch");
    }

    @Test
    void aCutBodyIsIncompleteNotTorn() {
        byte[] body = sampleBody();
        byte[] cut = Arrays.copyOf(body, body.length - 3);

        assertThatThrownBy(() -> WireFrames.decode(cut)).isInstanceOf(FormatException.class)
                .hasMessageContaining("is incomplete: it claims");
    }

    @Test
    void unknownTypesAreRefused() {
        byte[] body = WireFrames.encode(List.of(new WireFrames.Frame(WireFrames.Type.CHUNK, 0, new byte[]{1, 2})));
        body[4] = 9;

        assertThatThrownBy(() -> WireFrames.decode(body)).hasMessage("frame 0 at byte 0 has unknown type 9");
    }

    @Test
    void anAbsurdLengthIsRefusedBeforeAllocating() {
        byte[] body = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 2, 0, 0, 0, 0};

        assertThatThrownBy(() -> WireFrames.decode(body)).hasMessageContaining("is out of range");
    }

    /** Fuzz: whatever arrives, the decoder answers frames or a FormatException, never anything else. */
    @Property(tries = 2000)
    void arbitraryBytesGiveFramesOrAFormatException(@ForAll("bodies") byte[] body) {
        Throwable t = catchThrowable(() -> WireFrames.decode(body));
        assertThat(t).satisfiesAnyOf(x -> assertThat(x).isNull(), x -> assertThat(x).isInstanceOf(FormatException.class));
    }

    /** Mutations of a valid body are caught by the CRC or the framing; none decodes to different frames. */
    @Property(tries = 1000)
    void mutatedBodiesNeverDecodeToOtherContent(@ForAll("positions") int position, @ForAll("masks") byte mask) {
        byte[] body = sampleBody();
        int at = position % body.length;
        body[at] ^= mask;
        Throwable t = catchThrowable(() -> WireFrames.decode(body));
        assertThat(t).isInstanceOf(FormatException.class);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> prefixes = Arbitraries.integers().between(0, sampleBody().length)
                .map(n -> Arrays.copyOf(sampleBody(), n));
        return Arbitraries.oneOf(random, prefixes);
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    @Provide
    Arbitrary<Byte> masks() {
        return Arbitraries.bytes().filter(b -> b != 0);
    }

    private static byte[] sampleBody() {
        ChunkEncoder encoder = new ChunkEncoder(Fixtures.header());
        List<WireFrames.Frame> frames = new ArrayList<>();
        frames.add(new WireFrames.Frame(WireFrames.Type.SESSION_HEADER, 0, encoder.headerRecordBytes()));
        for (List<Event> events : Fixtures.sampleChunks()) {
            frames.add(new WireFrames.Frame(WireFrames.Type.CHUNK, 0, encoder.seal(events).toBytes()));
        }
        return WireFrames.encode(frames);
    }

    private static List<Integer> frameOffsets(byte[] body) {
        return WireFrames.decode(body).stream().map(f -> (int) f.offset()).toList();
    }
}
