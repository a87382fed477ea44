package org.ttyaudit.recorder.session;

import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.policy.CaptureMode;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.recorder.log.SessionLog;
import org.ttyaudit.recorder.pty.DirectIo;
import org.ttyaudit.recorder.pty.FileDescriptors;
import org.ttyaudit.recorder.pty.PseudoTerminal;

import java.io.IOException;
import java.util.Arrays;

/**
 * Moves what the user types from their terminal (or a pipe) to the session: read, decide whether it is a secret
 * (the session's terminal has ECHO off and ICANON on: a password prompt), log it or its redaction marker, then
 * deliver. (Secret masking happens later, on the log's writer thread: see MaskingChunkSink.) Runs on its own daemon thread until stopped or until its input ends.
 *
 * <p>When the input is not a terminal and reaches its end, the pump sends the session's end-of-file character
 * (Ctrl-D) once, as {@code script} does, so a shell reading commands from a pipe sees the end.
 */
final class InputPump implements Runnable {
    /** Only for a non-blocking input that has nothing yet. */
    private static final int POLL_MILLIS = 100;
    private static final byte CTRL_D = 4;
    private static final int BUFFER = 16 * 1024;

    private final int userFd;
    private final PseudoTerminal pty;
    private final SessionLog log;
    private final CaptureMode capture;
    private final TerminalTap tap;
    private final DirectIo io = new DirectIo(BUFFER);
    private volatile boolean stopped;

    InputPump(int userFd, PseudoTerminal pty, SessionLog log, CaptureMode capture, TerminalTap tap) {
        this.userFd = userFd;
        this.pty = pty;
        this.log = log;
        this.capture = capture;
        this.tap = tap;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        byte[] buf = new byte[BUFFER];
        try {
            while (!stopped) {
                // A blocking read: one system call per keystroke. When the session ends the thread may still
                // wait here; it is a daemon and ends with the JVM.
                int n = io.read(userFd, buf);
                if (n == 0) {
                    FileDescriptors.awaitReadable(userFd, POLL_MILLIS);
                    continue;
                }
                if (stopped) {
                    return;
                }
                if (n < 0) {
                    if (!FileDescriptors.isTerminal(userFd)) {
                        io.writeFully(pty.masterFd(), new byte[] {CTRL_D}, 0, 1);
                    }
                    return;
                }
                forward(buf, n);
            }
        } catch (IOException e) {
            // The session's terminal is gone or the log failed: the session is ending; nothing left to forward.
        }
    }

    private void forward(byte[] buf, int n) throws IOException {
        boolean secret = pty.isSecretInputMode();
        byte[] data = secret ? null : Arrays.copyOf(buf, n);
        if (capture.storesInput()) {
            if (secret) {
                log.append(t -> new RedactedInputEvent(t, n));
            } else {
                log.append(t -> new InputEvent(t, data));
            }
        }
        tap.input(data, secret);
        io.writeFully(pty.masterFd(), buf, 0, n);
    }
}
