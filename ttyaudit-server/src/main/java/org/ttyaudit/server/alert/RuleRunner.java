package org.ttyaudit.server.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.rules.RuleMatch;
import org.ttyaudit.core.rules.RuleSet;
import org.ttyaudit.core.rules.SessionFacts;
import org.ttyaudit.core.rules.SessionRules;
import org.ttyaudit.server.background.CommittedChunk;
import org.ttyaudit.server.background.RoundWorker;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.cluster.Leadership;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.ChunkBacklog;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs the rules over every committed chunk, on one background thread: woken by each ingest commit, it takes
 * the sessions whose chunks the rules have not seen (the store's durable per-session cursor,
 * {@link org.ttyaudit.server.store.SessionQueries#rulesBacklog}), decodes their chunks from the blob store,
 * feeds the events to each session's {@link SessionRules}, and writes what fired ({@link AlertWriter}: alert,
 * notifications, termination) in the same transaction that advances the cursors. So a crash never loses an
 * alert for a committed chunk and never raises one twice; after a restart the per-session state (dedupe, output
 * carry-over) starts afresh.
 *
 * <p>Latency: a round starts as soon as a commit wakes it, so the rules add a blob read, a decode and one store
 * transaction to ingest's commit (milliseconds). Work per round is bounded (sessions and chunks), so a backlog
 * after an outage is worked off in turns and never holds the store's writer for long.
 *
 * <p>Thread-safe: {@link #wake()} from any thread; everything else runs on its own thread.
 */
public final class RuleRunner implements AutoCloseable {
    static final int MAX_SESSIONS_PER_ROUND = 256;
    static final int MAX_CHUNKS_PER_SESSION = 32;
    /**
     * Per-session states kept at most; beyond, the least recently used is dropped (were its session to send more,
     * it would start afresh, losing only its dedupe and output carry-over). Ended sessions age out the same way,
     * which saves a session read per chunk to notice the end.
     */
    static final int MAX_SESSION_STATES = 20_000;
    private static final Duration IDLE_POLL = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(RuleRunner.class);

    private final Store store;
    private final BlobStore blobs;
    private final RuleBook book;
    private final AlertWriter writer;
    private final AlertMetrics metrics;
    private final Clock clock;
    private final Consumer<List<AlertRecord>> raised;
    private final RoundWorker worker;
    private final Map<UUID, State> states = new LinkedHashMap<>(256, 0.75f, true);
    private long lastReloadCheck = System.nanoTime();
    private UUID after;

    /** One session's evaluator, made from the rules in force when it was made. */
    private record State(SessionRecord session, RuleSet rules, SessionRules evaluator) {
    }

    /** @param raised told of the alerts of each round after they committed (notification wake-up, live UI) */
    public RuleRunner(Store store, BlobStore blobs, RuleBook book, AlertWriter writer, AlertMetrics metrics,
                      Clock clock, Consumer<List<AlertRecord>> raised) {
        this.store = store;
        this.blobs = blobs;
        this.book = book;
        this.writer = writer;
        this.metrics = metrics;
        this.clock = clock;
        this.raised = raised;
        this.worker = new RoundWorker("ttyaudit-rules", "evaluating rules", this::reloadAndRound, IDLE_POLL);
    }

    public RuleRunner start() {
        return start(Leadership.ALONE);
    }

    /** Starts the thread; it works only while this instance leads the fleet. */
    public RuleRunner start(Leadership leadership) {
        worker.start(leadership);
        return this;
    }

    /** Tells the runner that chunks were committed. Never blocks. */
    public void wake() {
        worker.wake();
    }

    /**
     * Waits until the rules have seen every chunk committed so far (tests, {@code rules test --session}).
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitEvaluated(Duration timeout) throws InterruptedException {
        return worker.awaitUntil(() -> store.sessions().rulesBacklog(null, 1).isEmpty(), timeout);
    }

    @Override
    public void close() {
        worker.close();
    }

    /** Picks up a changed rule file (every idle poll at most), then runs a round. */
    private int reloadAndRound() {
        if (System.nanoTime() - lastReloadCheck > IDLE_POLL.toNanos()) {
            lastReloadCheck = System.nanoTime();
            book.reloadIfChanged();
        }
        return round();
    }

    /** Evaluates one bounded batch of chunks; returns how many chunks it covered (0: nothing was pending). */
    int round() {
        List<ChunkBacklog> backlog = store.sessions().rulesBacklog(after, MAX_SESSIONS_PER_ROUND);
        if (backlog.isEmpty() && after != null) {
            after = null;
            backlog = store.sessions().rulesBacklog(null, MAX_SESSIONS_PER_ROUND);
        }
        if (backlog.isEmpty()) {
            return 0;
        }
        RuleSet rules = book.current().rules();
        Map<UUID, Long> through = new LinkedHashMap<>();
        List<Fired> fired = new ArrayList<>();
        int chunks = 0;
        long events = 0;
        for (ChunkBacklog b : backlog) {
            after = b.sessionId();
            State state = state(b, rules, fired);
            if (state == null) {
                continue;
            }
            int count = (int) Math.min(MAX_CHUNKS_PER_SESSION, b.committedSeq() - b.doneSeq());
            for (ChunkRecord row : store.sessions().chunks(b.sessionId(), b.doneSeq() + 1, count)) {
                if (row.seq() > b.committedSeq()) {
                    break;
                }
                Optional<List<Event>> decoded;
                try {
                    decoded = CommittedChunk.decode(blobs, row, "the rules", (chunk, bytes) -> chunk.decodeEvents());
                } catch (RuntimeException e) {
                    log.warn("cannot read chunk {} of session {} for the rules; trying again later: {}", row.seq(),
                            row.sessionId(), e.toString());
                    break;
                }
                for (Event e : decoded.orElse(List.of())) {
                    for (RuleMatch m : state.evaluator().evaluate(e)) {
                        fired.add(new Fired(state.session(), m));
                    }
                    events++;
                }
                through.put(b.sessionId(), row.seq());
                chunks++;
            }
        }
        if (through.isEmpty()) {
            return 0;
        }
        List<AlertRecord> alerts = store.write(tx -> {
            List<AlertRecord> out = new ArrayList<>();
            for (Fired f : fired) {
                out.add(writer.write(tx, tx.session(f.session().id()).orElse(f.session()), f.match()));
            }
            through.forEach(tx::rulesEvaluated);
            return out;
        });
        metrics.evaluated(events);
        for (AlertRecord a : alerts) {
            double delay = (clock.millis() - a.at().toEpochMilli()) / 1000.0;
            metrics.raised(a.rule(), a.severity(), delay);
        }
        if (!alerts.isEmpty()) {
            try {
                raised.accept(alerts);
            } catch (RuntimeException e) {
                log.warn("an alert listener failed: {}", e.toString());
            }
        }
        return chunks;
    }

    /**
     * The session's evaluator: kept from earlier rounds while the rules in force are the same; made afresh
     * (firing the session-start rules when the rules have seen none of its chunks) when new.
     */
    private State state(ChunkBacklog b, RuleSet rules, List<Fired> fired) {
        State state = states.get(b.sessionId());
        if (state != null && state.rules() == rules) {
            return state;
        }
        Optional<SessionRecord> session = store.sessions().get(b.sessionId());
        if (session.isEmpty()) {
            return null;
        }
        SessionRules evaluator = rules.forSession(SessionFacts.of(session.get().header()));
        if (b.doneSeq() < 0 && state == null) {
            for (RuleMatch m : evaluator.start()) {
                fired.add(new Fired(session.get(), m));
            }
        }
        state = new State(session.get(), rules, evaluator);
        states.put(b.sessionId(), state);
        if (states.size() > MAX_SESSION_STATES) {
            UUID eldest = states.keySet().iterator().next();
            states.remove(eldest);
        }
        return state;
    }

    private record Fired(SessionRecord session, RuleMatch match) {
    }
}
