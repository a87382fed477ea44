package org.ttyaudit.gateway.relay;

import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelOutputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.ttyaudit.gateway.record.ChannelRecording;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Agent forwarding ({@code ssh -A}) through the gateway, for one relayed shell or exec channel whose user asked for
 * it and whose policy rule allows it. The gateway asks the target for agent forwarding on its own channel; when a
 * program on the target uses the agent, the target's sshd opens an {@code auth-agent@openssh.com} channel to the
 * gateway ({@link TargetAgentChannel}), and this opens one of the same type to the user's client ({@link
 * UserAgentChannel}) and copies the bytes both ways. The gateway never holds an agent or a key of its own, and does
 * not look into the agent protocol; each use is a marker in the channel's record ({@code agent-used}), written
 * before the first byte is relayed.
 *
 * <p>Attached to the gateway's connection to the target ({@link #KEY}) before the target's channel is opened:
 * an agent channel the target opens on a connection without one is refused, so nothing is relayed unless the
 * policy allowed it for that very channel.
 */
final class AgentRelay {
    private static final Logger LOG = Logger.getLogger(AgentRelay.class.getName());
    static final String CHANNEL_TYPE = "auth-agent@openssh.com";
    /** On a user's session channel: whether its agent forwarding request was granted (absent: none came). */
    static final AttributeRepository.AttributeKey<Boolean> GRANTED = new AttributeRepository.AttributeKey<>();
    /** On the gateway's connection to the target: where that connection's agent channels go. */
    static final AttributeRepository.AttributeKey<AgentRelay> KEY = new AttributeRepository.AttributeKey<>();
    private static final int BUFFER = 8 * 1024;

    private final Session user;
    private final String who;
    private final Duration timeout;
    private final CompletableFuture<ChannelRecording> recording = new CompletableFuture<>();

    /**
     * @param user    the user's SSH connection (its client holds the agent)
     * @param who     for the log: the user and the target
     * @param timeout how long opening the user's side and waiting for the record may take
     */
    AgentRelay(Session user, String who, Duration timeout) {
        this.user = user;
        this.who = who;
        this.timeout = timeout;
    }

    /** The channel's record exists: agent channels may be relayed from now on (they wait for it until then). */
    void recordTo(ChannelRecording r) {
        recording.complete(r);
    }

    /** The channel never got a record (the target's channel failed to open): refuse its agent channels. */
    void abandon() {
        recording.completeExceptionally(new IOException("the relayed channel ended before it was recorded"));
    }

    /**
     * Relays one agent channel the target opened: opens the user's side, then answers {@code opened}, then copies
     * until either side ends. Runs on a thread of its own (it waits for the user's client).
     */
    void relay(TargetAgentChannel fromTarget, DefaultOpenFuture opened) {
        UserAgentChannel toUser = new UserAgentChannel();
        try {
            ChannelRecording r = recording.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            user.getService(ConnectionService.class).registerChannel(toUser);
            toUser.open().verify(timeout);
            r.marker("agent-used", "the target opened a connection to the user's agent");
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            LOG.info("agent channel of " + who + " not relayed: " + e.getMessage());
            toUser.close(true);
            opened.setException(new SshChannelOpenException(fromTarget.getChannelId(),
                    SshConstants.SSH_OPEN_CONNECT_FAILED, "the user's agent cannot be reached: " + e.getMessage(), e));
            fromTarget.close(true);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            toUser.close(true);
            fromTarget.close(true);
            return;
        }
        fromTarget.opened(opened);
        fromTarget.addCloseFutureListener(f -> toUser.close(false));
        ChannelOutputStream toTarget = fromTarget.outgoing();
        new Pump(fromTarget.incoming(), (b, o, n) -> { }, toUser.getInvertedIn(), BUFFER,
                failure -> Pump.closeQuietly(toUser.getInvertedIn())).start("ttyaudit-gw-agent-in");
        new Pump(toUser.getInvertedOut(), (b, o, n) -> { }, toTarget, BUFFER,
                failure -> Pump.closeQuietly(toTarget)).start("ttyaudit-gw-agent-out");
        toUser.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0L);
        fromTarget.close(false);
    }
}
