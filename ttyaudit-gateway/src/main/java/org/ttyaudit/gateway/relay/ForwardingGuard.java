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
 * through the target. X11 and remote forwards are always refused. Agent forwarding is granted when the policy
 * allows it for the user and the target named in the login (a login without a target, for the menu, is refused:
 * the target is not known yet); the relay then forwards it through the target ({@link AgentRelay}) and records
 * whether it was granted or refused.
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
        return allowed;
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

    private static void log(Session session, String what, boolean allowed) {
        LOG.info(session.getUsername() + " from " + RelayCommand.address(session.getRemoteAddress()) + " asked for "
                + what + ": " + (allowed ? "allowed by the policy" : "refused by the policy"));
    }

    private static LoginName login(Session session) {
        return LoginName.parse(session.getUsername()).orElse(null);
    }
}
