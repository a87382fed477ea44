package org.ttyaudit.gateway.ssh;

import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.gateway.relay.ForwardingGuard;
import org.ttyaudit.gateway.relay.Relays;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.util.List;
import java.util.logging.Logger;

/**
 * The SSH server side of the gateway (Apache MINA SSHD): users' OpenSSH clients connect here. Public-key
 * authentication only (no passwords, no keyboard-interactive: nothing to guess); the key must be one of the
 * user's registered keys, the user being the part of the login name before {@code %} ({@link LoginName}).
 * Shell, exec and the {@code sftp} subsystem are relayed to the target ({@link Relays}); forwarding requests go to
 * the {@link ForwardingGuard}. Ciphers, MACs and compression: {@link SshAlgorithms} (no chacha20-poly1305).
 *
 * <p>Thread-safe; {@link #start} once, {@link #close} once.
 */
public final class SshGateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SshGateway.class.getName());

    private final SshServer server;

    public SshGateway(String host, int port, KeyPair hostKey, GatewayAccess access, Relays relays) {
        server = SshServer.setUpDefaultServer();
        server.setHost(host);
        server.setPort(port);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        SshAlgorithms.applyTo(server);
        server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator((login, key, session) -> {
            boolean ok = LoginName.parse(login).map(l -> access.keyAccepted(l.user(), key)).orElse(false);
            if (!ok) {
                LOG.fine("key " + KeyFiles.fingerprint(key) + " refused for " + login);
            }
            return ok;
        });
        server.setShellFactory(relays::shell);
        server.setCommandFactory(relays::exec);
        server.setSubsystemFactories(List.of(new SubsystemFactory() {
            @Override
            public String getName() {
                return "sftp";
            }

            @Override
            public Command createSubsystem(ChannelSession channel) {
                return relays.subsystem(channel, "sftp");
            }
        }));
        List<org.apache.sshd.common.channel.ChannelFactory> channels = new java.util.ArrayList<>(server.getChannelFactories());
        channels.removeIf(f -> f.getName().equals("direct-tcpip") || f.getName().equals("session"));
        channels.add(relays.sessionChannels());
        channels.add(relays.portForwards());
        server.setChannelFactories(channels);
        server.setForwardingFilter(new ForwardingGuard(access));
        server.setAgentFactory(relays.agentFactory());
    }

    public void start() throws IOException {
        server.start();
    }

    /** The port it listens on (useful with port 0). */
    public int port() {
        return server.getBoundAddresses().stream().filter(InetSocketAddress.class::isInstance)
                .map(a -> ((InetSocketAddress) a).getPort()).findFirst().orElse(server.getPort());
    }

    /** Open SSH connections of users. */
    public int connections() {
        return server.getActiveSessions().size();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
