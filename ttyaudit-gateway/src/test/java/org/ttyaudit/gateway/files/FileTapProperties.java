package org.ttyaudit.gateway.files;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The taps read bytes from untrusted clients and targets: whatever arrives, in whatever pieces, they never throw,
 * and a valid transfer gives the same event however it is split.
 */
class FileTapProperties {

    @Property(tries = 500)
    void sftpTapNeverThrowsOnArbitraryBytes(@ForAll("chunks") List<byte[]> fromClient,
                                            @ForAll("chunks") List<byte[]> fromServer) {
        RecordingSink sink = new RecordingSink();
        FileTap tap = new SftpTap(sink);
        interleave(tap, fromClient, fromServer);
        tap.close();
        assertThat(sink.problems.size()).isLessThanOrEqualTo(1);
    }

    @Property(tries = 500)
    void sftpTapNeverThrowsAfterAValidInit(@ForAll("chunks") List<byte[]> fromClient,
                                           @ForAll("chunks") List<byte[]> fromServer) {
        RecordingSink sink = new RecordingSink();
        FileTap tap = new SftpTap(sink);
        byte[] init = {0, 0, 0, 5, 1, 0, 0, 0, 3}; // SSH_FXP_INIT, version 3
        byte[] version = {0, 0, 0, 5, 2, 0, 0, 0, 3}; // SSH_FXP_VERSION 3
        tap.fromClient(init, 0, init.length);
        tap.fromServer(version, 0, version.length);
        interleave(tap, fromClient, fromServer);
        tap.close();
        assertThat(sink.problems.size()).isLessThanOrEqualTo(1);
    }

    @Property(tries = 500)
    void scpTapNeverThrowsOnArbitraryBytes(@ForAll("chunks") List<byte[]> fromClient,
                                           @ForAll("chunks") List<byte[]> fromServer,
                                           @ForAll boolean upload) {
        RecordingSink sink = new RecordingSink();
        FileTap tap = ScpTap.forCommand(upload ? "scp -t /tmp/x" : "scp -f /tmp/x", sink).orElseThrow();
        interleave(tap, fromClient, fromServer);
        tap.close();
        assertThat(sink.problems.size()).isLessThanOrEqualTo(1);
    }

    @Property(tries = 300)
    void anScpUploadGivesTheSameEventHoweverItIsSplit(@ForAll @Size(max = 5000) byte[] content,
                                                      @ForAll @IntRange(min = 1, max = 64) int piece,
                                                      @ForAll long seed) {
        RecordingSink sink = new RecordingSink();
        FileTap tap = ScpTap.forCommand("scp -t /tmp/up.bin", sink).orElseThrow();
        Random random = new Random(seed);
        byte[] ack = {0};
        tap.fromServer(ack, 0, 1);
        feedClient(tap, ("C0644 " + content.length + " up.bin\n").getBytes(StandardCharsets.US_ASCII), piece, random);
        tap.fromServer(ack, 0, 1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(content);
        body.write(0);
        feedClient(tap, body.toByteArray(), piece, random);
        tap.fromServer(ack, 0, 1);
        tap.close();

        assertThat(sink.problems).isEmpty();
        assertThat(sink.events).containsExactly(RecordingSink.transfer("write", "/tmp/up.bin", content));
    }

    private static void feedClient(FileTap tap, byte[] data, int maxPiece, Random random) {
        int off = 0;
        while (off < data.length) {
            int n = Math.min(data.length - off, 1 + random.nextInt(maxPiece));
            tap.fromClient(data, off, n);
            off += n;
        }
    }

    private static void interleave(FileTap tap, List<byte[]> fromClient, List<byte[]> fromServer) {
        for (int i = 0; i < Math.max(fromClient.size(), fromServer.size()); i++) {
            if (i < fromClient.size()) {
                tap.fromClient(fromClient.get(i), 0, fromClient.get(i).length);
            }
            if (i < fromServer.size()) {
                tap.fromServer(fromServer.get(i), 0, fromServer.get(i).length);
            }
        }
    }

    @Provide
    Arbitrary<List<byte[]>> chunks() {
        Arbitrary<byte[]> lengthPrefixedJunk = Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
                .map(body -> {
                    byte[] packet = new byte[body.length + 4];
                    packet[3] = (byte) body.length;
                    System.arraycopy(body, 0, packet, 4, body.length);
                    return packet;
                });
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(raw, lengthPrefixedJunk).list().ofMaxSize(12);
    }
}
