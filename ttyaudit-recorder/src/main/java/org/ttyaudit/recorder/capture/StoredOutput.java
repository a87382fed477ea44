package org.ttyaudit.recorder.capture;

import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.recorder.log.SessionLog;

import java.io.IOException;

/** Where an {@link OutputFilter} puts what it keeps: the session log, in order. Called on the output thread. */
public interface StoredOutput {
    /** Stores output bytes (the array is not modified afterwards). */
    void output(byte[] data) throws IOException;

    /** Stores a marker event. */
    void marker(String name, String detail) throws IOException;

    /** The session log as a store: output events and marker events. */
    static StoredOutput in(SessionLog log) {
        return new StoredOutput() {
            @Override
            public void output(byte[] data) throws IOException {
                log.append(t -> new OutputEvent(t, data));
            }

            @Override
            public void marker(String name, String detail) throws IOException {
                log.append(t -> new MarkerEvent(t, name, detail));
            }
        };
    }
}
