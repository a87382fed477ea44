package org.ttyaudit.gateway.relay;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PumpTest {

    /** Keystrokes (small reads) and bulk (more waiting than the idle buffer holds) alternate; nothing is lost. */
    @Test
    void passesEveryByteInOrderThroughSmallAndLargeReads() throws Exception {
        PipedOutputStream source = new PipedOutputStream();
        PipedInputStream from = new PipedInputStream(source, 256 * 1024);
        ByteArrayOutputStream tapped = new ByteArrayOutputStream();
        ByteArrayOutputStream to = new ByteArrayOutputStream();
        CompletableFuture<IOException> end = new CompletableFuture<>();
        Thread t = new Thread(new Pump(from, (b, o, n) -> tapped.write(b, o, n), to, 32 * 1024, end::complete));
        t.start();

        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Random r = new Random(1);
        for (int round = 0; round < 40; round++) {
            int size = round % 3 == 0 ? 1 + r.nextInt(100_000) : 1 + r.nextInt(20);
            byte[] piece = new byte[size];
            r.nextBytes(piece);
            source.write(piece);
            source.flush();
            sent.write(piece);
            if (round % 5 == 0) {
                Thread.sleep(5);
            }
        }
        source.close();

        assertThat(end.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(to.toByteArray()).isEqualTo(sent.toByteArray());
        assertThat(tapped.toByteArray()).isEqualTo(sent.toByteArray());
    }

    @Test
    void aFailingTapStopsThePumpWithTheFailure() throws Exception {
        PipedOutputStream source = new PipedOutputStream();
        PipedInputStream from = new PipedInputStream(source);
        ByteArrayOutputStream to = new ByteArrayOutputStream();
        CompletableFuture<IOException> end = new CompletableFuture<>();
        Thread t = new Thread(new Pump(from, (b, o, n) -> {
            throw new IOException("disk full");
        }, to, 32 * 1024, end::complete));
        t.start();
        source.write("ls\r".getBytes());
        source.flush();

        assertThat(end.get(10, TimeUnit.SECONDS)).hasMessage("disk full");
        assertThat(to.size()).isZero();
    }
}
