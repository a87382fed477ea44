package org.ttyaudit.gateway.relay;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.gateway.ssh.SshAlgorithms;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Opens the gateway's own SSH connections to targets (Apache MINA's client), logged in with the gateway's key.
 *
 * <p>Host keys are checked strictly against the gateway's {@code known_hosts} file (OpenSSH format, re-read when
 * it changes): a target whose key is not listed, or whose key differs from the listed one, is refused — never
 * accepted and never added. Only public-key authentication is offered (no password prompt can reach the target
 * from here), and no {@code ~/.ssh/config} is read. Ciphers and MACs: {@link SshAlgorithms} (the gateway's order
 * decides what the target hop uses).
 *
 * <p>Thread-safe; one instance serves the whole gateway.
 */
public final class TargetConnector implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TargetConnector.class.getName());

    private final SshClient client;
    private final Duration timeout;

    public TargetConnector(KeyPair identity, Path knownHosts, Duration timeout) {
        this.timeout = timeout;
        this.client = SshClient.setUpDefaultClient();
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE,
                knownHosts);
        verifier.setModifiedServerKeyAcceptor((session, address, entry, expected, actual) -> {
            LOG.warning("target " + address + " presented host key " + KeyUtils.getFingerPrint(actual)
                    + " but known_hosts lists " + KeyUtils.getFingerPrint(expected) + ": refused");
            return false;
        });
        client.setServerKeyVerifier(verifier);
        client.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(identity));
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        SshAlgorithms.applyTo(client);
        // Agent channels the targets open are relayed to the user where agent forwarding was granted (AgentRelay).
        List<org.apache.sshd.common.channel.ChannelFactory> channels = new ArrayList<>(client.getChannelFactories());
        channels.add(TargetAgentChannel.factory());
        client.setChannelFactories(channels);
        client.start();
    }

    /**
     * Connects and logs in to the route's target as its remote user.
     *
     * @throws IOException with a message fit for the user: unreachable, host key refused, login refused
     */
    public ClientSession connect(GatewayAccess.Route route) throws IOException {
        ClientSession session = null;
        try {
            session = client.connect(route.remoteUser(), route.address(), route.port())
                    .verify(timeout).getSession();
            session.auth().verify(timeout);
            return session;
        } catch (IOException | RuntimeException e) {
            if (session != null) {
                session.close(true);
            }
            throw new IOException("cannot log in to " + route.target() + " (" + route.knownHostsName() + ") as "
                    + route.remoteUser() + ": " + reason(e), e);
        }
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("server key")) {
            return "its host key is not the one in the gateway's known_hosts (unknown or changed)";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    @Override
    public void close() throws IOException {
        client.stop();
    }
}
