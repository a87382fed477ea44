package org.ttyaudit.recorder.session;

import sun.misc.Signal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Delivers the Unix signals the recorder cares about to plain callbacks, and puts the previous handlers back when
 * closed. Uses {@code sun.misc.Signal} (module jdk.unsupported), the JDK's only signal API.
 *
 * <p>Handlers run on a JVM signal-dispatch thread; they must be quick and thread-safe.
 */
final class SignalRelay implements AutoCloseable {
    static final int SIGHUP = 1;
    static final int SIGINT = 2;
    static final int SIGTERM = 15;

    private final List<Runnable> restorers = new ArrayList<>();

    /** Handles {@code name} (e.g. "WINCH"); returns false when the JVM does not allow handling it. */
    boolean on(String name, IntConsumer handler) {
        try {
            Signal signal = new Signal(name);
            sun.misc.SignalHandler previous = Signal.handle(signal, s -> handler.accept(s.getNumber()));
            restorers.add(() -> Signal.handle(signal, previous));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (Runnable r : restorers) {
            try {
                r.run();
            } catch (IllegalArgumentException ignored) {
                // Nothing more can be done about a handler the JVM no longer lets us set.
            }
        }
        restorers.clear();
    }
}
