package org.ttyaudit.recorder.capture;

import java.io.IOException;

/** Where an {@link OutputFilter} puts what it keeps: the session log, in order. Called on the output thread. */
public interface StoredOutput {
    /** Stores output bytes (the array is not modified afterwards). */
    void output(byte[] data) throws IOException;

    /** Stores a marker event. */
    void marker(String name, String detail) throws IOException;
}
