package org.ttyaudit.gateway.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies one direction of a relayed channel: reads what arrives, shows it to a {@link Tap} (the record: log
 * before deliver), writes it on. Both ends are MINA channel streams, so SSH flow control holds: a slow reader on
 * one side stops the window on the other, and nothing is buffered without bound here.
 *
 * <p>Runs on a thread of its own until the input ends or either side fails; then {@code atEnd} runs once with the
 * failure (null at a clean end of input).
 */
final class Pump implements Runnable {
    /** Sees each piece before it is passed on; a failure (the record cannot be written) stops the pump. */
    interface Tap {
        void bytes(byte[] b, int off, int len) throws IOException;
    }

    /** What happens when the pump stops. */
    interface End {
        void ended(IOException failure);
    }

    private final InputStream from;
    private final Tap tap;
    private final OutputStream to;
    private final int bufferSize;
    private final End atEnd;

    Pump(InputStream from, Tap tap, OutputStream to, int bufferSize, End atEnd) {
        this.from = from;
        this.tap = tap;
        this.to = to;
        this.bufferSize = bufferSize;
        this.atEnd = atEnd;
    }

    @Override
    public void run() {
        byte[] buf = new byte[bufferSize];
        IOException failure = null;
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                if (n == 0) {
                    continue;
                }
                tap.bytes(buf, 0, n);
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            atEnd.ended(failure);
        }
    }
}
