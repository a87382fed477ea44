package org.ttyaudit.server.background;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.cluster.Leadership;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * A background thread that works off a store's backlog in bounded rounds: after a round that did work it runs
 * the next at once; after an idle one it waits for {@link #wake()} (ingest committed something) or, failing that,
 * for the idle poll (work left by a crash is found without a wake). A round that throws is logged and retried
 * after the idle poll, so a store that is briefly unavailable never kills the worker. Used by the output text
 * indexer and the rule runner, whose rounds differ but whose life cycle is this.
 *
 * <p>Thread-safe: {@link #wake()} and {@link #awaitUntil} from any thread.
 */
public final class RoundWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoundWorker.class);

    private final String what;
    private final IntSupplier round;
    private final Duration idlePoll;
    private final Thread thread;
    private final Object signal = new Object();
    private volatile Leadership leadership = Leadership.ALONE;
    private boolean wakeRequested;
    private long rounds;
    private volatile boolean closing;

    /**
     * @param what     what the rounds do, for the thread's name and the log ({@code indexing output text})
     * @param round    one round: returns how much it did (0: nothing was pending)
     * @param idlePoll how long an idle worker waits before it looks again without being woken
     */
    public RoundWorker(String threadName, String what, IntSupplier round, Duration idlePoll) {
        this.what = what;
        this.round = round;
        this.idlePoll = idlePoll;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        start(Leadership.ALONE);
    }

    /**
     * Starts the thread for work that one instance of the fleet does for all: rounds run only while this
     * instance {@link Leadership#leading() leads}, and the worker looks at once when it becomes the leader.
     */
    public void start(Leadership leadership) {
        this.leadership = leadership;
        leadership.whenGained(this::wake);
        thread.start();
    }

    /** Has the worker run a round now rather than after its idle poll. Never blocks. */
    public void wake() {
        synchronized (signal) {
            wakeRequested = true;
            signal.notifyAll();
        }
    }

    /**
     * Waits, waking the worker round after round, until {@code done} holds (e.g. "the backlog is empty").
     *
     * @return false when it did not hold within {@code timeout}, or the worker is closing
     */
    public boolean awaitUntil(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0 || closing) {
                return false;
            }
            synchronized (signal) {
                long seen = rounds;
                wakeRequested = true;
                signal.notifyAll();
                while (rounds == seen && !closing) {
                    long waitMillis = Math.min(Duration.ofNanos(deadline - System.nanoTime()).toMillis(), 100);
                    if (waitMillis <= 0) {
                        break;
                    }
                    signal.wait(waitMillis);
                }
            }
        }
        return true;
    }

    /** Stops the thread after its current round (waits up to 30 s). */
    @Override
    public void close() {
        closing = true;
        wake();
        if (!thread.isAlive()) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (!closing) {
            int done;
            try {
                done = leadership.leading() ? round.getAsInt() : 0;
            } catch (RuntimeException e) {
                // the store is closing or failed: say so, and try again after the idle poll
                log.warn("{} failed, trying again shortly: {}", what, e.toString());
                done = 0;
            }
            synchronized (signal) {
                rounds++;
                signal.notifyAll();
                if (done == 0 && !closing) {
                    if (!wakeRequested) {
                        try {
                            signal.wait(idlePoll.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    wakeRequested = false;
                }
            }
        }
    }
}
