package org.ttyaudit.server.cluster;

import java.util.Set;
import java.util.UUID;

/**
 * What server instances sharing one store tell each other, and which of them leads ({@link Leadership}). The
 * store provides it ({@link org.ttyaudit.server.store.Store#coordination()}): PostgreSQL through an advisory lock
 * and {@code LISTEN/NOTIFY}; the embedded store, which one instance has to itself, by {@link #single()}.
 *
 * <p>Messages are hints, never the data: a listener reads what changed from the store. A message may be lost
 * (the link to the database broke); {@link Listener#reconnected()} then says that anything may have changed.
 *
 * <p>Thread-safe. Listeners run on the coordination's own thread and must not block.
 */
public interface Coordination extends AutoCloseable {

    /** What an instance hears from the others. */
    interface Listener {
        /** Another instance committed new content (chunks, ends, termination requests) of these sessions. */
        default void committedElsewhere(Set<UUID> sessions) {
        }

        /** Another instance has live viewers of these sessions now (it repeats this while they watch). */
        default void watchedElsewhere(Set<UUID> sessions) {
        }

        /** Another instance heard the recorders of these sessions lately (a request or a heartbeat). */
        default void recordersHeardElsewhere(Set<UUID> sessions) {
        }

        /** A follower needs a signed tree head that covers the ledger as it is now (only the leader hears it). */
        default void signingRequested() {
        }

        /** The link to the others was re-established after a break: messages of the break are lost. */
        default void reconnected() {
        }
    }

    /** The coordination of an instance alone with its store: it always leads and hears nothing. */
    static Coordination single() {
        return SingleInstance.INSTANCE;
    }

    /** Whether other instances may share the store (false for {@link #single()}). */
    boolean shared();

    Leadership leadership();

    /** Adds a listener (before {@link #start()}, or at any time: it hears what arrives after). */
    void listen(Listener listener);

    /** Connects and starts competing for leadership. Idempotent. */
    void start();

    /** Tells the other instances that this one has live viewers of {@code sessions}. Never throws. */
    void announceWatched(Set<UUID> sessions);

    /** Tells the other instances that this one heard the recorders of {@code sessions} lately. Never throws. */
    void announceHeard(Set<UUID> sessions);

    /** Asks the leader to sign a tree head covering the ledger now. Never throws. */
    void requestSigning();

    /** Gives up leadership and stops listening. */
    @Override
    void close();
}
