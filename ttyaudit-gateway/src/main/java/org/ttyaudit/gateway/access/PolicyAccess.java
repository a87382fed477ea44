package org.ttyaudit.gateway.access;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.gateway.GatewayAccess;

import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gateway's access questions answered from a policy and keys ({@link AccessSource}: the audit server's, or
 * local files'). Each answer reads the source's current policy, so a refreshed policy applies to the next login
 * and the next channel.
 */
public final class PolicyAccess implements GatewayAccess {
    private final AccessSource source;

    public PolicyAccess(AccessSource source) {
        this.source = source;
    }

    @Override
    public boolean keyAccepted(String user, PublicKey key) {
        return source.keysOf(user).stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
    }

    @Override
    public List<Choice> reachable(String user) {
        return source.policy().reachable(user, source.groupsOf(user)).stream()
                .map(a -> new Choice(a.target().name(), a.remoteUsers())).toList();
    }

    @Override
    public Verdict decide(String user, String target, String remoteUser) {
        GatewayPolicy policy = source.policy();
        Set<String> groups = source.groupsOf(user);
        // The policy's decision names the reason for every refusal; the default remote user is resolved here
        // only because the route must say whom the gateway logs in as.
        String remote = remoteUser != null ? remoteUser : policy.access(user, groups, target)
                .map(GatewayPolicy.TargetAccess::defaultRemoteUser).orElse(null);
        GatewayPolicy.Decision decision = policy.decide(user, groups, target, remote);
        if (!decision.allowed()) {
            return Verdict.deny(decision.reason());
        }
        GatewayPolicy.Target t = policy.target(target).orElseThrow();
        return Verdict.allow(new Route(t.name(), t.address(), t.port(), remote));
    }

    @Override
    public boolean portForwardAllowed(String user, String target, String host, int port) {
        return source.policy().portForwardAllowed(user, source.groupsOf(user), target, host, port);
    }

    @Override
    public boolean agentForwardingAllowed(String user, String target) {
        return source.policy().agentForwardingAllowed(user, source.groupsOf(user), target);
    }

    @Override
    public CapturePolicy capturePolicy(String user, String target) {
        return source.capturePolicies().resolve(user, groupsOf(user), target);
    }

    @Override
    public List<String> groupsOf(String user) {
        Set<String> all = new TreeSet<>(source.groupsOf(user));
        all.addAll(source.policy().groupsOf(user));
        return List.copyOf(all);
    }
}
