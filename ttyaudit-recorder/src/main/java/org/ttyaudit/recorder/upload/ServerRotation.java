package org.ttyaudit.recorder.upload;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which of a fleet's server instances a client talks to (docs/INGEST.md, "Several servers"): the servers of the
 * host credential, preferred first.
 *
 * <ul>
 *   <li>It starts with the preferred (first) server and <b>sticks</b> to whichever server works: a request that
 *       is answered keeps the client where it is, so it never flaps between instances.</li>
 *   <li>When the current server fails (no connection, a timeout, a 502/503/504), the client moves to the next
 *       server at once; {@link #failed} says whether there is one left that has not failed in this pass through
 *       the list. Only when every server has failed does the caller back off; the next pass then starts with the
 *       server after the last one that failed.</li>
 *   <li>Away from the preferred server, it tries the preferred one again once {@link #RETRY_PREFERRED_AFTER} has
 *       passed (and again after each further period while it still fails), going straight back to the server it
 *       stuck to when the preferred one still fails.</li>
 * </ul>
 *
 * <p>Each switch is logged once through the given sink (the same switch again, while no request succeeded in
 * between, is not repeated: an outage of every server is a line per server, not a line per retry). The lines
 * name servers and the reason, never the credential.
 *
 * <p>Thread-safe: requests of several threads share one rotation. A failure or success reported for a server
 * the rotation has already left (a request that was in flight when another one switched) changes nothing.
 */
public final class ServerRotation {
    /** How long the client stays away from the preferred server before trying it again. */
    public static final Duration RETRY_PREFERRED_AFTER = Duration.ofMinutes(5);

    /** Writes each line to standard error. */
    public static final Consumer<String> STDERR = line -> System.err.println("ttyaudit: " + line);

    private final List<URI> servers;
    private final Clock clock;
    private final Duration retryPreferredAfter;
    private final Consumer<String> log;

    private int current;
    /** The servers that failed since the last answered request. */
    private final BitSet failedInPass = new BitSet();
    /** Since when the client has used a server other than the preferred one; null while on the preferred one. */
    private Instant awayFromPreferredSince;
    /** While trying the preferred server again: the server the client stuck to before; else -1. */
    private int stuckTo = -1;
    /** The lines logged since the last answered request: an outage that goes round the list is told once. */
    private final Set<String> logged = new HashSet<>();

    /** The default policy over {@code servers}, logging to standard error. */
    public ServerRotation(List<URI> servers) {
        this(servers, Clock.systemUTC(), RETRY_PREFERRED_AFTER, STDERR);
    }

    public ServerRotation(List<URI> servers, Consumer<String> log) {
        this(servers, Clock.systemUTC(), RETRY_PREFERRED_AFTER, log);
    }

    public ServerRotation(List<URI> servers, Clock clock, Duration retryPreferredAfter, Consumer<String> log) {
        this.servers = HostCredential.checkServers(servers);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryPreferredAfter = Objects.requireNonNull(retryPreferredAfter, "retryPreferredAfter");
        this.log = Objects.requireNonNull(log, "log");
    }

    public List<URI> servers() {
        return servers;
    }

    /** The server in use now (for messages; it does not start a retry of the preferred one). */
    public synchronized URI inUse() {
        return servers.get(current);
    }

    /** The server for the next request: the current one, or the preferred one when it is time to try it again. */
    public synchronized URI current() {
        if (current != 0 && stuckTo < 0 && failedInPass.isEmpty() && awayFromPreferredSince != null
                && !clock.instant().isBefore(awayFromPreferredSince.plus(retryPreferredAfter))) {
            stuckTo = current;
            current = 0;
        }
        return servers.get(current);
    }

    /** A request to {@code server} was answered (with anything but 502/503/504): stay with it. */
    public synchronized void succeeded(URI server) {
        int i = servers.indexOf(server);
        if (i != current) {
            return;
        }
        if (stuckTo >= 0) {
            say("switched back to the preferred " + server + " (it answers again) from " + servers.get(stuckTo));
            stuckTo = -1;
        }
        failedInPass.clear();
        logged.clear();
        if (i == 0) {
            awayFromPreferredSince = null;
        } else if (awayFromPreferredSince == null) {
            awayFromPreferredSince = clock.instant();
        }
    }

    /**
     * A request to {@code server} failed so that another server may do better (no connection, a timeout,
     * 502/503/504): moves on.
     *
     * @param reason what went wrong, short ({@code connection refused}), for the log line
     * @return whether to retry at once with {@link #current()} (a server not yet failed in this pass); false when
     * every server has failed: back off before the next pass
     */
    public synchronized boolean failed(URI server, String reason) {
        int i = servers.indexOf(server);
        if (i != current) {
            return !failedInPass.get(current); // another request moved on already: retry there
        }
        failedInPass.set(i);
        int next;
        if (stuckTo >= 0) {
            // the preferred one still fails: straight back to the one that worked, and try again a period later
            next = stuckTo;
            stuckTo = -1;
            awayFromPreferredSince = clock.instant();
            say("the preferred " + server + " still fails (" + reason + "); staying with " + servers.get(next));
            current = next;
            return true;
        }
        next = nextNotFailed(i);
        if (next < 0) {
            failedInPass.clear(); // a new pass after the backoff, starting after the server that failed last
            current = (i + 1) % servers.size();
            if (current != 0 && awayFromPreferredSince == null) {
                awayFromPreferredSince = clock.instant();
            }
            return false;
        }
        current = next;
        if (next != 0 && awayFromPreferredSince == null) {
            awayFromPreferredSince = clock.instant();
        }
        say("switched to " + servers.get(next) + " after " + server + " failed: " + reason);
        return true;
    }

    private int nextNotFailed(int from) {
        for (int step = 1; step < servers.size(); step++) {
            int j = (from + step) % servers.size();
            if (!failedInPass.get(j)) {
                return j;
            }
        }
        return -1;
    }

    private void say(String line) {
        if (logged.add(line)) {
            log.accept(line);
        }
    }
}
