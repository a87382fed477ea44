package org.ttyaudit.gateway.testkit;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.gateway.GatewayAccess;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A fixed access table for relay tests: users' keys, and which user reaches which target as whom. */
public final class StaticAccess implements GatewayAccess {
    private final Map<String, List<PublicKey>> keys = new ConcurrentHashMap<>();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, CapturePolicy> capture = new ConcurrentHashMap<>();

    public StaticAccess key(String user, String publicKeyLine) throws Exception {
        PublicKey key = PublicKeyEntry.parsePublicKeyEntry(publicKeyLine).resolvePublicKey(null, Map.of(),
                PublicKeyEntryResolver.FAILING);
        keys.computeIfAbsent(user, u -> new ArrayList<>()).add(key);
        return this;
    }

    /** What records of {@code user}'s sessions on {@code target} keep (otherwise the built-in policy). */
    public StaticAccess capture(String user, String target, CapturePolicy policy) {
        capture.put(user + "%" + target, policy);
        return this;
    }

    @Override
    public CapturePolicy capturePolicy(String user, String target) {
        return capture.getOrDefault(user + "%" + target, CapturePolicies.BUILT_IN);
    }

    public StaticAccess route(String user, Route route) {
        routes.put(user + "%" + route.target(), route);
        return this;
    }

    @Override
    public boolean keyAccepted(String user, PublicKey key) {
        return keys.getOrDefault(user, List.of()).stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
    }

    @Override
    public List<Choice> reachable(String user) {
        return routes.entrySet().stream().filter(e -> e.getKey().startsWith(user + "%")).sorted(Map.Entry.comparingByKey())
                .map(e -> new Choice(e.getValue().target(), List.of(e.getValue().remoteUser()))).toList();
    }

    @Override
    public Verdict decide(String user, String target, String remoteUser) {
        Route r = routes.get(user + "%" + target);
        if (r == null) {
            return Verdict.deny(user + " may not reach " + target);
        }
        if (remoteUser != null && !remoteUser.equals(r.remoteUser())) {
            return Verdict.deny(user + " may not log in to " + target + " as " + remoteUser);
        }
        return Verdict.allow(r);
    }

    private final java.util.Set<String> forwards = ConcurrentHashMap.newKeySet();

    public StaticAccess allowForward(String user, String target, String host, int port) {
        forwards.add(user + "%" + target + ">" + host + ":" + port);
        return this;
    }

    @Override
    public boolean portForwardAllowed(String user, String target, String host, int port) {
        return forwards.contains(user + "%" + target + ">" + host + ":" + port);
    }

    private final java.util.Set<String> agents = ConcurrentHashMap.newKeySet();

    public StaticAccess allowAgent(String user, String target) {
        agents.add(user + "%" + target);
        return this;
    }

    @Override
    public boolean agentForwardingAllowed(String user, String target) {
        return agents.contains(user + "%" + target);
    }
}
