package org.ttyaudit.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small record assembled byte by byte from docs/FORMAT.md, independently of the production encoder, compared
 * with what the writer produces. If this fails, either the code or the document is wrong.
 */
class KnownRecordBytesTest {
    @TempDir
    Path dir;

    static final String HEADER_JSON = "{\"session_id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"kind\":\"recorder\","
            + "\"user\":\"alice\",\"uid\":1000,\"host\":\"web1\",\"tty\":\"/dev/pts/3\",\"client_address\":null,"
            + "\"term\":\"xterm-256color\",\"cols\":80,\"rows\":24,\"started_at\":\"2024-05-01T12:00:00Z\","
            + "\"command\":[\"/bin/bash\",\"-l\"],\"capture\":\"full\",\"recorder_version\":\"0.1.0\","
            + "\"tags\":{\"env\":\"prod\",\"team\":\"ops\"}}";

    @Test
    void writerProducesTheDocumentedBytesForAOneChunkSession() throws Exception {
        Path file = dir.resolve("known.tty");
        try (RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header())) {
            w.appendChunk(List.of(Fixtures.out(5, "hi")));
            w.finish(Fixtures.end());
        }
        assertThat(HexFormat.of().formatHex(Fixtures.read(file))).isEqualTo(HexFormat.of().formatHex(expected()));
    }

    @Test
    void readerAndVerifierAcceptTheDocumentedBytes() throws Exception {
        Path file = Fixtures.write(dir, "known.tty", expected());
        Recording r = RecordFileReader.open(file);
        assertThat(r.header()).isEqualTo(Fixtures.header());
        assertThat(r.chunks()).hasSize(1);
        assertThat(Fixtures.describe(r.chunks().get(0).decodeEvents())).containsExactly("output@5[6869]");
        assertThat(r.end()).isPresent();
        VerifyReport report = RecordVerifier.verify(file);
        assertThat(report.problems()).isEmpty();
        assertThat(report.intact()).isTrue();
        assertThat(report.complete()).isTrue();
    }

    static byte[] expected() throws Exception {
        byte[] json = HEADER_JSON.getBytes(StandardCharsets.UTF_8);
        byte[] payload = hex("01 05 02 6869"); // output, delta 5, length 2, "hi"
        byte[] prev = sha256(json);
        byte[] canonical = hex("01" // chunk encoding version
                + "01890a5dac96774b bcceb302099a8057" // session id
                + "0000000000000000" // chunk seq
                + "0000000000000000" // first event seq
                + "00000001" // event count
                + "0000000000000005 0000000000000005" // first, last offset µs
                + "00" // codec: stored (zstd cannot shrink 5 bytes)
                + "00000005 00000005"); // uncompressed length, payload length
        byte[] chunkHash = sha256(prev, canonical, payload);
        byte[] endHashed = cat(hex("01" + "01890a5dac96774b bcceb302099a8057"
                + "0000000066322efc" // ended at 2024-05-01T12:01:00Z = 1714564860 s
                + "00000000" // nanos
                + "00000000" // exit status 0
                + "00 00000000" // no signal
                + "0004"), "exit".getBytes(StandardCharsets.US_ASCII), hex(
                "0000000000000001" // chunks
                + "0000000000000001"), // events
                chunkHash);
        return cat(hex("89545459415544 0a 00000001"),
                frame(1, json),
                frame(2, cat(canonical, prev, chunkHash, payload)),
                frame(3, cat(endHashed, sha256(endHashed))));
    }

    private static byte[] frame(int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(9 + body.length);
        b.putInt(body.length).put((byte) type).put(body);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 5 + body.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
