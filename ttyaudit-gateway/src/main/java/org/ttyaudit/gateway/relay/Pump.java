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
 *
 * <p>Memory: a gateway holds hundreds of mostly idle channels, each with two or three pumps. A pump waits for data
 * with a small buffer and takes its full-size one only while more than that is waiting (bulk output); the large
 * buffer is dropped after {@link #SMALL_READS_TO_SHRINK} reads in a row that the small one held, so an idle pump
 * holds {@link #IDLE_BUFFER} bytes, not {@code bufferSize} (docs/PERFORMANCE.md, "SSH gateway": 40 KiB less per
 * idle shell), and bulk output does not allocate a buffer per packet.
 */
final class Pump implements Runnable {
    /** Sees each piece before it is passed on; a failure (the record cannot be written) stops the pump. */
    static final int IDLE_BUFFER = 1024;
    static final int SMALL_READS_TO_SHRINK = 16;

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
        byte[] idle = new byte[Math.min(IDLE_BUFFER, bufferSize)];
        byte[] large = null;
        int smallReads = 0;
        IOException failure = null;
        try {
            int n;
            while (true) {
                byte[] buf = idle;
                if (waiting() > idle.length) {
                    large = large != null ? large : new byte[bufferSize];
                    smallReads = 0;
                } else if (large != null && ++smallReads > SMALL_READS_TO_SHRINK) {
                    large = null;
                }
                if (large != null) {
                    buf = large;
                }
                if ((n = from.read(buf)) < 0) {
                    break;
                }
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

    /** Runs this pump on a daemon thread of its own. */
    Thread start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits up to 10 s for a pump's thread (null: nothing to wait for). */
    static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes a pump's end; a failure means the other side is gone already. */
    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to tell
        }
    }

    /** Bytes readable without blocking; 0 when the stream cannot tell (then {@code read} reports the end). */
    private int waiting() {
        try {
            return from.available();
        } catch (IOException e) {
            return 0;
        }
    }
}
