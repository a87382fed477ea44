package org.ttyaudit.recorder.pty;

import java.io.IOException;

/** A pseudo-terminal or process-control system call failed; the message names the call and the OS error. */
public final class PtyException extends IOException {
    public PtyException(String message) {
        super(message);
    }
}
