package org.ttyaudit.recorder.log;

import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;

/** A rough size of an event in a chunk, used to decide when a chunk is full. */
final class EventSize {
    private static final int OVERHEAD = 16;

    private EventSize() {
    }

    static long of(Event event) {
        if (event instanceof OutputEvent o) {
            return OVERHEAD + o.data().length;
        }
        if (event instanceof InputEvent i) {
            return OVERHEAD + i.data().length;
        }
        if (event instanceof CommandStartEvent c) {
            return OVERHEAD + c.commandLine().length() + (c.cwd() == null ? 0 : c.cwd().length());
        }
        if (event instanceof ExecEvent x) {
            long n = OVERHEAD + (x.cwd() == null ? 0 : x.cwd().length());
            for (String a : x.argv()) {
                n += a.length() + 1;
            }
            return n;
        }
        if (event instanceof FileEvent f) {
            return OVERHEAD + 48 + f.path().length() + (f.targetPath() == null ? 0 : f.targetPath().length());
        }
        return OVERHEAD;
    }
}
