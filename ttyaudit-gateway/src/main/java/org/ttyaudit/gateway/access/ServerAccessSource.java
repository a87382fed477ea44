package org.ttyaudit.gateway.access;

import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.gateway.SshPublicKey;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.recorder.upload.IngestException;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The access facts of a gateway enrolled with an audit server: the policy is fetched at the start and then every
 * {@link Timing#policyRefresh()} on a background thread and kept; a user's keys are fetched when asked for and kept
 * for {@link Timing#keyTtl()}.
 *
 * <p><b>When the server is away</b>, the last policy and keys fetched go on being used, but only up to
 * {@link Timing#staleLimit()} after they were fetched (10 minutes by default); after that the policy is
 * {@link GatewayPolicy#empty()} and nobody has keys, so nobody logs in (fail closed) until the server answers
 * again. A key removed at the server therefore stops working within {@code keyTtl} while the server is reachable,
 * and within {@code staleLimit} at worst.
 *
 * <p>The capture policies are fetched with the policy; the last ones fetched apply, with no stale limit of their
 * own (once the policy is stale nobody logs in). Until the server has given them (a server of an older version has
 * none to give), the {@linkplain CapturePolicies#builtIn() built-in policy} applies, as on a recorder that cannot
 * reach its server.
 *
 * <p>A key lookup that finds its cache entry expired asks the server on the calling thread, so the client's
 * timeouts bound a login's wait: give this source an {@link IngestClient} with short ones (a few seconds).
 * Thread-safe.
 */
public final class ServerAccessSource implements AccessSource {
    private static final Logger LOG = Logger.getLogger(ServerAccessSource.class.getName());
    /**
     * Users whose keys are kept at most: login attempts with made-up names each add an entry, so the cache is
     * pruned (expired entries first, then everything) rather than allowed to grow without bound.
     */
    static final int MAX_CACHED_USERS = 10_000;

    /**
     * @param policyRefresh how often the policy is fetched
     * @param keyTtl        how long a user's fetched keys are used before they are asked for again
     * @param staleLimit    how long after the last successful fetch a policy or key list is still used while the
     *                      server does not answer
     */
    public record Timing(Duration policyRefresh, Duration keyTtl, Duration staleLimit) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMinutes(10));

        public Timing {
            for (Duration d : new Duration[]{policyRefresh, keyTtl, staleLimit}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("every duration of the timing must be positive");
                }
            }
            if (staleLimit.compareTo(keyTtl) < 0 || staleLimit.compareTo(policyRefresh) < 0) {
                throw new IllegalArgumentException("the stale limit must be at least the refresh and the key TTL");
            }
        }
    }

    private record Fetched<T>(T value, Instant at) {
    }

    private final IngestClient client;
    private final Timing timing;
    private final Clock clock;
    private final ScheduledExecutorService refresher;
    private volatile Fetched<GatewayPolicy> policy;
    private volatile CapturePolicies capture = CapturePolicies.builtIn();
    private final Map<String, Fetched<List<PublicKey>>> keys = new ConcurrentHashMap<>();

    /** With {@link Timing#DEFAULT} and the system clock. */
    public ServerAccessSource(IngestClient client) {
        this(client, Timing.DEFAULT, Clock.systemUTC());
    }

    public ServerAccessSource(IngestClient client, Timing timing, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ttyaudit-gw-policy");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, timing.policyRefresh().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Fetches the policy now (the background thread does this every {@code policyRefresh}).
     *
     * @return whether the server answered with a policy
     */
    public boolean refresh() throws InterruptedException {
        try {
            GatewayPolicy fetched = client.gatewayPolicy();
            Fetched<GatewayPolicy> before = policy;
            policy = new Fetched<>(fetched, clock.instant());
            if (before == null || !before.value().equals(fetched)) {
                LOG.info("gateway policy from " + client.server() + ": " + fetched);
            }
        } catch (IngestException e) {
            LOG.warning("cannot fetch the gateway policy (the last one is used until it is " + timing.staleLimit()
                    + " old): " + e.getMessage());
            return false;
        }
        refreshCapture();
        return true;
    }

    private void refreshCapture() throws InterruptedException {
        try {
            CapturePolicies fetched = client.gatewayCapturePolicies();
            if (!fetched.equals(capture)) {
                LOG.info("capture policies from " + client.server() + ": " + fetched.size()
                        + " policies, default " + fetched.fallback().describe());
            }
            capture = fetched;
        } catch (IngestException e) {
            LOG.warning("cannot fetch the capture policies (the last ones are used): " + e.getMessage());
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the scheduler would stop repeating after an exception; a bad answer must not end the refreshing
            LOG.warning("fetching the gateway policy failed: " + e);
        }
    }

    @Override
    public GatewayPolicy policy() {
        Fetched<GatewayPolicy> p = policy;
        return p != null && fresh(p, timing.staleLimit()) ? p.value() : GatewayPolicy.empty();
    }

    @Override
    public CapturePolicies capturePolicies() {
        return capture;
    }

    @Override
    public Set<String> groupsOf(String user) {
        return policy().groupsOf(user);
    }

    @Override
    public List<PublicKey> keysOf(String user) {
        if (user == null || user.isEmpty()) {
            return List.of();
        }
        Fetched<List<PublicKey>> cached = keys.get(user);
        if (cached != null && fresh(cached, timing.keyTtl())) {
            return cached.value();
        }
        try {
            List<PublicKey> fetched = decode(user, client.gatewayKeys(user));
            if (keys.size() >= MAX_CACHED_USERS) {
                prune();
            }
            keys.put(user, new Fetched<>(fetched, clock.instant()));
            return fetched;
        } catch (IngestException e) {
            LOG.warning("cannot fetch the SSH keys of " + user + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (cached != null && fresh(cached, timing.staleLimit())) {
            return cached.value();
        }
        keys.remove(user, cached);
        return List.of();
    }

    private void prune() {
        keys.values().removeIf(f -> !fresh(f, timing.keyTtl()));
        if (keys.size() >= MAX_CACHED_USERS) {
            keys.clear();
        }
    }

    private static List<PublicKey> decode(String user, List<SshPublicKey> lines) {
        List<PublicKey> out = new ArrayList<>();
        for (SshPublicKey k : lines) {
            try {
                out.add(PublicKeys.of(k));
            } catch (GeneralSecurityException e) {
                LOG.warning("a registered key of " + user + " is skipped: " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private boolean fresh(Fetched<?> f, Duration limit) {
        return clock.instant().isBefore(f.at().plus(limit));
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
