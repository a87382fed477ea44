package org.ttyaudit.gateway.relay;

import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;

import java.util.logging.Logger;

/**
 * An {@code auth-agent@openssh.com} channel the target opened on the gateway's connection to it: a program there
 * wants the forwarded agent. Relayed to the user's client by the connection's {@link AgentRelay}; refused
 * ("administratively prohibited") on a connection that has none, that is, where agent forwarding was not granted.
 */
final class TargetAgentChannel extends PipedChannel {
    private static final Logger LOG = Logger.getLogger(TargetAgentChannel.class.getName());

    /** For the gateway's SSH client: the channel type targets open for agent forwarding. */
    static ChannelFactory factory() {
        return new NamedChannelFactory(AgentRelay.CHANNEL_TYPE, TargetAgentChannel::new);
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        DefaultOpenFuture f = new DefaultOpenFuture(this, this);
        AgentRelay relay = getSession().getAttribute(AgentRelay.KEY);
        if (relay == null) {
            LOG.warning("target " + RelayCommand.address(getSession().getRemoteAddress())
                    + " opened an agent channel where agent forwarding was not granted: refused");
            f.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                    "agent forwarding was not granted on this connection"));
            close(true);
            return f;
        }
        incoming();
        Thread t = new Thread(() -> relay.relay(this, f), "ttyaudit-gw-agent");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** The user's side is open: confirm the channel to the target. */
    void opened(DefaultOpenFuture f) {
        signalChannelOpenSuccess();
        f.setOpened();
    }
}
