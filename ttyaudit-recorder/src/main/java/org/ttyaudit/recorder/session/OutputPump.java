package org.ttyaudit.recorder.session;

import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.recorder.capture.OutputFilter;
import org.ttyaudit.recorder.log.SessionLog;
import org.ttyaudit.recorder.pty.DirectIo;
import org.ttyaudit.recorder.pty.PseudoTerminal;
import org.ttyaudit.recorder.pty.PtyException;
import org.ttyaudit.recorder.pty.PtyReader;
import org.ttyaudit.recorder.shell.MarkerStripper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Moves what the session writes from the pty master to the user's terminal: read, strip the shell-integration
 * markers, log what the capture policy keeps ({@link OutputFilter}), then deliver (log before deliver). Runs on its own thread until the pty hangs up, or until the
 * session's process has exited and no more output arrives.
 *
 * <p>Reads the master descriptor directly with a large buffer: the pty is the throughput bottleneck, and
 * compression and hashing happen on the log's writer thread, not here.
 */
final class OutputPump implements Runnable {
    private static final int BUFFER = 16 * 1024;
    private static final int POLL_MILLIS = 100;
    /** After the process exited, output still arriving (from jobs it left behind) is drained for this long. */
    private static final long DRAIN_AFTER_EXIT_NANOS = 300_000_000L;

    private final PseudoTerminal pty;
    private final int userFd;
    private final SessionLog log;
    private final MarkerStripper stripper;
    private final TerminalTap tap;
    /** Null when every byte is stored (the common case costs nothing extra). */
    private final OutputFilter filter;
    private volatile long processExitedAtNanos = -1;
    private volatile IOException failure;
    private boolean userTerminalGone;
    private final DirectIo userOut = new DirectIo(BUFFER + MarkerStripper.MAX_SEQUENCE_BYTES + 16);

    OutputPump(PseudoTerminal pty, int userFd, SessionLog log, MarkerStripper stripper, TerminalTap tap,
               OutputFilter filter) {
        this.filter = filter == null || filter.storesEverything() ? null : filter;
        this.pty = pty;
        this.userFd = userFd;
        this.log = log;
        this.stripper = stripper;
        this.tap = tap;
    }

    /** Tells the pump that the session's process is gone: it drains what is left and stops. */
    void processExited() {
        processExitedAtNanos = System.nanoTime();
    }

    IOException failure() {
        return failure;
    }

    @Override
    public void run() {
        byte[] in = new byte[BUFFER];
        byte[] visible = stripper == null ? null : new byte[BUFFER + MarkerStripper.MAX_SEQUENCE_BYTES + 16];
        PtyReader reader = new PtyReader(pty, BUFFER);
        try {
            while (true) {
                int n = reader.read(in);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    if (!pty.awaitOutput(POLL_MILLIS)) {
                        long exited = processExitedAtNanos;
                        if (exited >= 0 && System.nanoTime() - exited > DRAIN_AFTER_EXIT_NANOS) {
                            break;
                        }
                    }
                    continue;
                }
                if (stripper == null) {
                    deliver(in, n);
                } else {
                    // What precedes a marker in this read is delivered (and logged) before the marker is reported:
                    // a command's last output stays before the end that the marker logs.
                    deliver(visible, stripper.filter(in, 0, n, visible, 0, this::deliverBeforeMarker));
                }
            }
            if (stripper != null) {
                deliver(visible, stripper.flush(visible, 0));
            }
            if (filter != null) {
                filter.finish();
            }
        } catch (IOException e) {
            failure = e;
        } catch (UncheckedIOException e) {
            failure = e.getCause();
        }
    }

    private void deliverBeforeMarker(byte[] buf, int off, int len) {
        try {
            deliver(off == 0 ? buf : Arrays.copyOfRange(buf, off, off + len), len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deliver(byte[] buf, int len) throws IOException {
        if (len <= 0) {
            return;
        }
        byte[] data = Arrays.copyOf(buf, len);
        if (filter == null) {
            log.append(t -> new OutputEvent(t, data));
        } else {
            filter.offer(data);
        }
        tap.output(data);
        if (userTerminalGone) {
            return;
        }
        try {
            userOut.writeFully(userFd, buf, 0, len);
        } catch (PtyException e) {
            // The user's terminal went away (hangup): keep recording what the session does until it ends.
            userTerminalGone = true;
        }
    }
}
