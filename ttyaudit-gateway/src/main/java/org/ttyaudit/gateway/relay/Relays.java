package org.ttyaudit.gateway.relay;

import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/** Makes the relay for each kind of channel a user opens; the SSH server's factories call it. */
public final class Relays {
    private final RelayContext ctx;

    public Relays(RelayContext ctx) {
        this.ctx = ctx;
    }

    public Command shell(ChannelSession channel) {
        return new RelayCommand(ctx, "shell", null);
    }

    public Command exec(ChannelSession channel, String commandLine) {
        return new RelayCommand(ctx, "exec", commandLine);
    }

    public Command subsystem(ChannelSession channel, String name) {
        return new RelayCommand(ctx, name, null);
    }

    /** The {@code session} channel factory: MINA's session channels, remembering agent forwarding requests. */
    public org.apache.sshd.common.channel.ChannelFactory sessionChannels() {
        return SessionChannel.factory();
    }

    /** The SSH server's agent factory: agent forwarding, where granted, is relayed to the target. */
    public org.apache.sshd.agent.SshAgentFactory agentFactory() {
        return new RelayedAgentFactory();
    }

    /** The {@code direct-tcpip} channel factory: port forwards opened by the target, when the policy allows. */
    public org.apache.sshd.common.channel.ChannelFactory portForwards() {
        return ForwardChannel.factory(ctx);
    }
}
