package org.ttyaudit.server.ingest;

import org.ttyaudit.server.store.SessionRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each session's recorder was last heard from (any ingest request: a chunk, or the commit point it asks
 * for every 2 s while idle), so that a session whose recorder went silent without an end record shows as
 * {@link State#INCOMPLETE}, never as live for ever (DESIGN.md, threat model: "never silently missing").
 *
 * <p>Kept in memory: after a server restart every session without an end is incomplete until its recorder's
 * next request (within seconds for a running recorder, which retries and asks the commit point). Entries of
 * ended sessions are dropped; those of silent ones are pruned once the map grows. Thread-safe.
 */
public final class RecorderContact {
    /** Silence after which a session without an end counts as incomplete: many missed 2 s heartbeats. */
    public static final Duration SILENCE = Duration.ofSeconds(30);
    private static final int PRUNE_ABOVE = 10_000;

    /** What the server can say about a session. */
    public enum State {
        /** Its recorder is sending or asking. */
        LIVE,
        /** Its end record is stored. */
        ENDED,
        /** No end record, and its recorder has not been heard from for {@link #SILENCE}. */
        INCOMPLETE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Clock clock;
    private final Map<UUID, Instant> lastHeard = new ConcurrentHashMap<>();
    /** Sessions whose recorder this instance heard since {@link #drainHeardHere()} last ran. */
    private final Set<UUID> heardHere = ConcurrentHashMap.newKeySet();
    /** Whether other instances are told ({@link #drainHeardHere()} runs); else nothing is kept for them. */
    private volatile boolean shared;

    public RecorderContact(Clock clock) {
        this.clock = clock;
    }

    /** The session's recorder made a request the server answered; {@code ended}: the answer says it ended. */
    public void heard(UUID sessionId, boolean ended) {
        if (ended) {
            lastHeard.remove(sessionId);
            return;
        }
        if (shared) {
            heardHere.add(sessionId);
        }
        heardElsewhere(sessionId);
    }

    /**
     * Another server instance heard the session's recorder (several instances share the store): it counts as
     * heard here too, so every instance shows a session as live while any of them hears its recorder.
     */
    public void heardElsewhere(UUID sessionId) {
        Instant now = clock.instant();
        lastHeard.put(sessionId, now);
        if (lastHeard.size() > PRUNE_ABOVE) {
            lastHeard.values().removeIf(t -> t.isBefore(now.minus(SILENCE)));
        }
    }

    /** From now on, keeps the sessions heard here for {@link #drainHeardHere()}, which must then run regularly. */
    public void shareWithOtherInstances() {
        shared = true;
    }

    /** The sessions whose recorder this instance heard since the last call (to tell the other instances). */
    public Set<UUID> drainHeardHere() {
        Set<UUID> out = new java.util.HashSet<>();
        for (java.util.Iterator<UUID> it = heardHere.iterator(); it.hasNext(); ) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    public State state(SessionRecord s) {
        if (s.ended()) {
            return State.ENDED;
        }
        Instant heard = lastHeard.get(s.id());
        return heard != null && !heard.isBefore(clock.instant().minus(SILENCE)) ? State.LIVE : State.INCOMPLETE;
    }

    /** The current time of this object's clock (for durations of live sessions). */
    public Instant now() {
        return clock.instant();
    }
}
