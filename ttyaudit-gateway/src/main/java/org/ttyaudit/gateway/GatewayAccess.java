package org.ttyaudit.gateway;

import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.core.policy.CapturePolicy;

import java.security.PublicKey;
import java.util.List;

/**
 * What the gateway needs to know about who may do what: whose keys authenticate whom, which targets a user may
 * reach and as whom, and which forwards are allowed. Backed by the audit server's policy and registered keys, or
 * by local files for a standalone gateway.
 *
 * <p>Implementations are thread-safe and answer from memory or within a short timeout: they are asked during
 * SSH authentication and channel set-up. When they cannot tell, the answer is no.
 */
public interface GatewayAccess {

    /** Whether {@code key} is one of {@code user}'s registered keys. */
    boolean keyAccepted(String user, PublicKey key);

    /** The targets {@code user} may reach, for the menu; sorted by name. */
    List<Choice> reachable(String user);

    /**
     * Whether {@code user} may log in to {@code target} as {@code remoteUser}; {@code remoteUser} null: as the
     * first remote user the policy allows.
     */
    Verdict decide(String user, String target, String remoteUser);

    /** Whether a port forward from the user's client to {@code host:port} (seen from the target) is allowed. */
    boolean portForwardAllowed(String user, String target, String host, int port);

    /** Whether the user's SSH agent may be forwarded to the target. */
    boolean agentForwardingAllowed(String user, String target);

    /** The groups the policy knows for {@code user}, sorted (a tag on the record; rules match it). */
    default List<String> groupsOf(String user) {
        return List.of();
    }

    /**
     * What the record of {@code user}'s session on {@code target} keeps (docs/CAPTURE.md): the capture policy that
     * matches the user, the user's groups and the target's name, as for a login on that host.
     */
    default CapturePolicy capturePolicy(String user, String target) {
        return CapturePolicies.BUILT_IN;
    }

    /** A target in the menu, and the remote users allowed there (first: the default). */
    record Choice(String target, List<String> remoteUsers) {
        public Choice {
            remoteUsers = List.copyOf(remoteUsers);
        }
    }

    /** Where an allowed login goes. */
    record Route(String target, String address, int port, String remoteUser) {
        /** As OpenSSH's known_hosts names it: {@code host} for port 22, {@code [host]:port} otherwise. */
        public String knownHostsName() {
            return port == 22 ? address : "[" + address + "]:" + port;
        }
    }

    /** Either a route or the reason for a refusal. */
    record Verdict(Route route, String denial) {
        public static Verdict allow(Route route) {
            return new Verdict(route, null);
        }

        public static Verdict deny(String why) {
            return new Verdict(null, why);
        }

        public boolean allowed() {
            return route != null;
        }
    }
}
