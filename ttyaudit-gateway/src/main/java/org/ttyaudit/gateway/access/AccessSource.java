package org.ttyaudit.gateway.access;

import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.policy.CapturePolicies;

import java.security.PublicKey;
import java.util.List;
import java.util.Set;

/**
 * Where the gateway's access facts come from: the policy (targets, groups, allow rules), each user's public keys
 * and groups. {@link ServerAccessSource} asks the audit server; {@link LocalAccessSource} reads local files for a
 * standalone gateway.
 *
 * <p>Implementations are thread-safe, answer from memory or within their client's timeouts, and fail closed: when
 * they cannot tell, the policy is {@link GatewayPolicy#empty()} and a user has no keys.
 */
public interface AccessSource extends AutoCloseable {

    /** The policy in force now (never null). */
    GatewayPolicy policy();

    /** The keys that authenticate {@code user}; empty when none (or the user name is not acceptable). */
    List<PublicKey> keysOf(String user);

    /** The groups {@code user} is in, for the policy's rules. */
    Set<String> groupsOf(String user);

    /** The capture policies in force now, which the gateway resolves for each session's target (never null). */
    CapturePolicies capturePolicies();

    /** Stops any background work; by default there is none. */
    @Override
    default void close() {
    }
}
