package org.ttyaudit.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The web UI's login sessions: an in-memory map from the SHA-256 of a session token ({@code tts_…}, the cookie's
 * value) to the logged-in {@link Principal}. A session ends after {@link #DEFAULT_IDLE_TIMEOUT} without a request,
 * {@link #DEFAULT_ABSOLUTE_TIMEOUT} after login whatever happens, at logout, or when the account changes
 * ({@link #endAllFor}: password, role, disabled).
 *
 * <p>Sessions live only in this process's memory: <b>they do not survive a restart</b> (users log in again), and
 * several server instances do not share them. That is deliberate: no session secret is ever written to disk.
 *
 * <p>Bounded: a user has at most {@code maxPerUser} sessions (a new login ends that user's least recently used
 * one), and the whole map at most {@code maxSessions} (expired sessions are dropped first, then the least recently
 * used). A user with a valid password therefore cannot fill the map and push everyone else out.
 *
 * <p>Thread-safe (one lock; every operation is a few map operations, logins scan the map once).
 */
public final class WebSessions {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_ABSOLUTE_TIMEOUT = Duration.ofHours(12);
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    public static final int DEFAULT_MAX_PER_USER = 20;

    private static final class Entry {
        final Principal principal;
        final Instant createdAt;
        Instant lastSeen;

        Entry(Principal principal, Instant createdAt) {
            this.principal = principal;
            this.createdAt = createdAt;
            this.lastSeen = createdAt;
        }
    }

    private final SecretTokens tokens;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final int maxSessions;
    private final int maxPerUser;
    /** In access order: the head is the least recently used session (and the first to go idle). */
    private final LinkedHashMap<String, Entry> byTokenHash = new LinkedHashMap<>(16, 0.75f, true);

    public WebSessions(SecretTokens tokens, Clock clock) {
        this(tokens, clock, DEFAULT_IDLE_TIMEOUT, DEFAULT_ABSOLUTE_TIMEOUT, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_PER_USER);
    }

    public WebSessions(SecretTokens tokens, Clock clock, Duration idleTimeout, Duration absoluteTimeout,
                       int maxSessions, int maxPerUser) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (idleTimeout.isNegative() || idleTimeout.isZero() || absoluteTimeout.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException("need 0 < idle timeout (" + idleTimeout + ") <= absolute timeout ("
                    + absoluteTimeout + ")");
        }
        if (maxSessions < 1 || maxPerUser < 1) {
            throw new IllegalArgumentException("session limits must be positive");
        }
        this.idleTimeout = idleTimeout;
        this.absoluteTimeout = absoluteTimeout;
        this.maxSessions = maxSessions;
        this.maxPerUser = maxPerUser;
    }

    /**
     * Starts a session for a user who has just logged in with their password and returns its token (the cookie
     * value, given to the browser once).
     *
     * @throws IllegalArgumentException when the principal is not a password login ({@link Principal.Kind#USER})
     */
    public synchronized SecretToken create(Principal principal) {
        Objects.requireNonNull(principal, "principal");
        if (principal.kind() != Principal.Kind.USER) {
            throw new IllegalArgumentException("web sessions are for password logins, not " + principal.kind());
        }
        Instant now = clock.instant();
        dropIdleHead(now);
        evictOldestOfUserIfFull(principal.id());
        if (byTokenHash.size() >= maxSessions) {
            Iterator<Map.Entry<String, Entry>> it = byTokenHash.entrySet().iterator();
            it.next();
            it.remove();
        }
        SecretToken token = tokens.generate(TokenKind.WEB_SESSION);
        byTokenHash.put(token.hash(), new Entry(principal, now));
        return token;
    }

    /**
     * The principal of a live session, which counts as activity (the idle timeout restarts); empty when the token
     * is malformed, unknown, logged out or expired.
     */
    public synchronized Optional<Principal> authenticate(String token) {
        if (!SecretTokens.isWellFormed(TokenKind.WEB_SESSION, token)) {
            return Optional.empty();
        }
        String key = SecretTokens.hash(token);
        Entry e = byTokenHash.get(key);
        if (e == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(e, now)) {
            byTokenHash.remove(key);
            return Optional.empty();
        }
        e.lastSeen = now;
        return Optional.of(e.principal);
    }

    /** Ends the session of {@code token}; false when there was none. */
    public synchronized boolean logout(String token) {
        return token != null && byTokenHash.remove(SecretTokens.hash(token)) != null;
    }

    /** Ends every session of the user {@code userId} (their account changed); returns how many ended. */
    public synchronized int endAllFor(String userId) {
        int n = 0;
        for (Iterator<Entry> it = byTokenHash.values().iterator(); it.hasNext(); ) {
            if (it.next().principal.id().equals(userId)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    /** Sessions held, including expired ones not yet dropped. */
    public synchronized int size() {
        return byTokenHash.size();
    }

    private boolean expired(Entry e, Instant now) {
        return !now.isBefore(e.lastSeen.plus(idleTimeout)) || !now.isBefore(e.createdAt.plus(absoluteTimeout));
    }

    /** Sessions in access order: idle ones collect at the head, so dropping them stops at the first live one. */
    private void dropIdleHead(Instant now) {
        for (Iterator<Entry> it = byTokenHash.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now.isBefore(e.lastSeen.plus(idleTimeout))) {
                return;
            }
            it.remove();
        }
    }

    private void evictOldestOfUserIfFull(String userId) {
        String oldest = null;
        int count = 0;
        for (Map.Entry<String, Entry> e : byTokenHash.entrySet()) {
            if (e.getValue().principal.id().equals(userId)) {
                if (oldest == null) {
                    oldest = e.getKey();
                }
                count++;
            }
        }
        if (count >= maxPerUser) {
            byTokenHash.remove(oldest);
        }
    }
}
