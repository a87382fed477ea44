package org.ttyaudit.gateway.relay;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.gateway.ssh.LoginName;

import java.util.logging.Logger;

/**
 * Decides the forwarding requests of users' clients: {@code ssh -L}/{@code -W} (direct-tcpip), {@code ssh -R}
 * (tcpip-forward), {@code ssh -A} (agent) and X11. Every request is logged with who asked for what and the answer.
 *
 * <p>Local forwards ({@code direct-tcpip}) are decided by {@link ForwardChannel}, which relays allowed ones
 * through the target. X11 and remote forwards are always refused. Agent forwarding is refused unless the policy
 * allows it for the user and target — and then still refused, because the gateway does not relay agent channels
 * yet (docs/GATEWAY.md, "Forwarding"): the log says that the policy allowed it.
 *
 * <p>Thread-safe.
 */
public final class ForwardingGuard implements ForwardingFilter {
    private static final Logger LOG = Logger.getLogger(ForwardingGuard.class.getName());

    private final GatewayAccess access;

    public ForwardingGuard(GatewayAccess access) {
        this.access = access;
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        LoginName login = login(session);
        boolean allowed = login != null && login.hasTarget() && access.agentForwardingAllowed(login.user(), login.target());
        log(session, "agent forwarding", allowed);
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        log(session, "X11 forwarding", false);
        return false;
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        log(session, "remote forward of " + address, false);
        return false;
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        // Only MINA's own forwarders ask here (remote forwards, which are never set up): refuse.
        log(session, type.getName() + " connection to " + address, false);
        return false;
    }

    private static void log(Session session, String what, boolean policyAllows) {
        LOG.info(session.getUsername() + " from " + RelayCommand.address(session.getRemoteAddress()) + " asked for "
                + what + ": refused" + (policyAllows
                ? " (the policy allows it, but this gateway does not relay forwards yet)" : " by the policy"));
    }

    private static LoginName login(Session session) {
        return LoginName.parse(session.getUsername()).orElse(null);
    }
}
