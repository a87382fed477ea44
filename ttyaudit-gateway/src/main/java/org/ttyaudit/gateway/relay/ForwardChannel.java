package org.ttyaudit.gateway.relay;

import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.ChannelOutputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.gateway.record.ChannelFacts;
import org.ttyaudit.gateway.record.ChannelRecording;
import org.ttyaudit.gateway.ssh.LoginName;

import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * A {@code direct-tcpip} channel ({@code ssh -L}, {@code ssh -W}) relayed through the target: the connection to
 * {@code host:port} is opened by the target's SSH server, as it would be without the gateway, over the gateway's
 * connection to the target (one per user connection, shared by its forwards). Allowed only when the policy allows
 * that destination for the user and the target named in the login; refused ones are answered "administratively
 * prohibited".
 *
 * <p>Each forward is a record of its own (channel {@code direct-tcpip}): a {@code port-forward} marker with the
 * destination and originator when it opens, and one with the bytes each way when it closes. The bytes themselves
 * are not stored (they are the forwarded service's protocol, not a terminal session).
 *
 * <p>Threads: the open runs on a thread of its own (connecting to the target must not hold MINA's I/O threads),
 * then one pump per direction; SSH flow control holds on both sides (piped input with window release on read,
 * channel output streams that wait for window).
 */
final class ForwardChannel extends PipedChannel {
    private static final Logger LOG = Logger.getLogger(ForwardChannel.class.getName());
    private static final AttributeRepository.AttributeKey<ClientSession> TARGET = new AttributeRepository.AttributeKey<>();
    private static final int BUFFER = 32 * 1024;

    private final RelayContext ctx;
    private volatile ChannelDirectTcpip target;

    ForwardChannel(RelayContext ctx) {
        this.ctx = ctx;
    }

    /** The factory that replaces MINA's own {@code direct-tcpip} (which would connect from the gateway itself). */
    static ChannelFactory factory(RelayContext ctx) {
        return new NamedChannelFactory("direct-tcpip", () -> new ForwardChannel(ctx));
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        String host = buffer.getString();
        int port = buffer.getInt();
        String originatorIp = buffer.getString();
        int originatorPort = buffer.getInt();
        DefaultOpenFuture f = new DefaultOpenFuture(this, this);
        Session session = getSession();
        LoginName login = LoginName.parse(session.getUsername()).orElse(null);
        String who = session.getUsername() + " from " + RelayCommand.address(session.getRemoteAddress());
        String what = "port forward to " + host + ":" + port;
        GatewayAccess.Verdict verdict = login == null || !login.hasTarget()
                ? GatewayAccess.Verdict.deny("a forward needs a target in the login name")
                : ctx.access().portForwardAllowed(login.user(), login.target(), host, port)
                ? ctx.access().decide(login.user(), login.target(), login.remoteUser())
                : GatewayAccess.Verdict.deny("the policy does not allow it");
        if (!verdict.allowed()) {
            LOG.info(who + " asked for " + what + ": refused (" + verdict.denial() + ")");
            f.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                    what + " refused: " + verdict.denial()));
            close(true);
            return f;
        }
        LOG.info(who + " asked for " + what + " through " + login.target() + ": allowed by the policy");
        incoming();
        ChannelFacts facts = new ChannelFacts(login.user(), ctx.access().groupsOf(login.user()),
                RelayCommand.address(session.getRemoteAddress()), verdict.route(), "direct-tcpip", host + ":" + port,
                null, RelayCommand.DEFAULT_COLS, RelayCommand.DEFAULT_ROWS, false,
                ctx.access().capturePolicy(login.user(), verdict.route().target()));
        Thread opener = new Thread(() -> open(f, facts, host, port, originatorIp, originatorPort),
                "ttyaudit-gw-forward");
        opener.setDaemon(true);
        opener.start();
        return f;
    }

    private void open(DefaultOpenFuture f, ChannelFacts facts, String host, int port, String originatorIp,
                      int originatorPort) {
        ChannelRecording recording = null;
        try {
            ClientSession ts = targetSession(facts.route());
            ChannelDirectTcpip ch = ts.createDirectTcpipChannel(new SshdSocketAddress(originatorIp, originatorPort),
                    new SshdSocketAddress(host, port));
            target = ch;
            ch.open().verify(ctx.openTimeout());
            recording = ctx.recordings().start(facts);
            recording.marker("port-forward", "to=" + host + ":" + port + " from=" + originatorIp + ":" + originatorPort
                    + " via=" + facts.route().target());
        } catch (IOException | RuntimeException e) {
            LOG.info("port forward to " + host + ":" + port + " failed: " + e.getMessage());
            if (recording != null) {
                recording.finish(null, null);
            }
            f.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_CONNECT_FAILED,
                    "the target could not open " + host + ":" + port + ": " + e.getMessage(), e));
            close(true);
            return;
        }
        signalChannelOpenSuccess();
        f.setOpened();
        ChannelDirectTcpip ch = target;
        ChannelOutputStream toUser = outgoing();
        AtomicLong sent = new AtomicLong();
        AtomicLong received = new AtomicLong();
        Thread up = new Pump(incoming(), (b, o, n) -> sent.addAndGet(n), ch.getInvertedIn(), BUFFER,
                failure -> Pump.closeQuietly(ch.getInvertedIn())).start("ttyaudit-gw-fwd-in");
        Thread down = new Pump(ch.getInvertedOut(), (b, o, n) -> received.addAndGet(n), toUser, BUFFER,
                failure -> Pump.closeQuietly(toUser)).start("ttyaudit-gw-fwd-out");
        ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0L);
        Pump.join(down);
        try {
            recording.marker("port-forward-closed", "to=" + host + ":" + port + " bytes_to_target=" + sent.get()
                    + " bytes_from_target=" + received.get());
        } catch (IOException e) {
            // the end record below says what it can
        }
        recording.finish(0, null);
        up.interrupt();
        close(false);
    }

    /** One connection to the target per user connection, shared by its forwards and closed with it. */
    private ClientSession targetSession(GatewayAccess.Route route) throws IOException {
        Session session = getSession();
        synchronized (session) {
            ClientSession ts = session.getAttribute(TARGET);
            if (ts != null && ts.isOpen()) {
                return ts;
            }
            ClientSession opened = ctx.connector().connect(route);
            session.setAttribute(TARGET, opened);
            session.addCloseFutureListener(x -> opened.close(true));
            return opened;
        }
    }

    @Override
    protected void preClose() {
        ChannelDirectTcpip ch = target;
        if (ch != null) {
            ch.close(false);
        }
        super.preClose();
    }

}
