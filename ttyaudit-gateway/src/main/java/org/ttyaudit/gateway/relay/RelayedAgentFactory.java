package org.ttyaudit.gateway.relay;

import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;

import java.io.IOException;
import java.util.List;

/**
 * The SSH server's agent factory. MINA grants an agent forwarding request only when the server has one (and the
 * forwarding filter agrees), and would then make a local agent socket for a local shell. The gateway has no local
 * shell: the agent is relayed to the target instead ({@link AgentRelay}), so the "server" made here is only a name
 * (it listens on nothing), and the gateway accepts no agent channels from users' clients.
 */
final class RelayedAgentFactory implements SshAgentFactory {
    @Override
    public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
        return List.of();
    }

    @Override
    public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
        throw new IOException("the gateway holds no agent of its own");
    }

    @Override
    public SshAgentServer createServer(ConnectionService service) {
        return new SshAgentServer() {
            private volatile boolean open = true;

            @Override
            public String getId() {
                return "relayed-to-target";
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }
}
