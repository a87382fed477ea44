package org.ttyaudit.gateway.relay;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.PtyChannelConfiguration;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.gateway.record.ChannelFacts;
import org.ttyaudit.gateway.record.ChannelRecording;
import org.ttyaudit.gateway.ssh.LoginName;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * One channel of a user's SSH connection (shell, exec or subsystem), relayed to the same kind of channel on the
 * target: pty request (a 0×0 size, as {@code ssh -tt} without a terminal sends, becomes 80×24), window changes,
 * signals, end of input, exit status or exit signal. Everything relayed is recorded first ({@link ChannelRecording}).
 *
 * <p>Threads: {@link #start} returns at once; a relay thread connects to the target, starts one pump per direction
 * (two from the target without a pty: stdout and stderr) and waits for the target's channel to close, then reports
 * the exit to the user. The user closing the channel ({@link #destroy}) closes the target's channel.
 */
final class RelayCommand implements Command {
    private static final Logger LOG = Logger.getLogger(RelayCommand.class.getName());
    static final int DEFAULT_COLS = 80;
    static final int DEFAULT_ROWS = 24;
    private static final int OUTPUT_BUFFER = 32 * 1024;
    private static final int INPUT_BUFFER = 8 * 1024;

    private final RelayContext ctx;
    /** {@code shell}, {@code exec} or the subsystem's name. */
    private final String kind;
    private final String commandLine;

    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private volatile boolean pty;
    private ExitCallback exit;
    private volatile ClientChannel target;
    private volatile ClientSession targetSession;
    private volatile boolean destroyed;
    private volatile ChannelRecording recording;

    RelayCommand(RelayContext ctx, String kind, String commandLine) {
        this.ctx = ctx;
        this.kind = kind;
        this.commandLine = commandLine;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        Thread t = new Thread(() -> relay(channel, env), "ttyaudit-gw-relay");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
        closeTarget();
    }

    private void relay(ChannelSession channel, Environment env) {
        String user = channel.getSession().getUsername();
        try {
            LoginName login = LoginName.parse(user).orElseThrow(() -> new IOException("bad login name " + user));
            pty = env.getEnv().containsKey(Environment.ENV_TERM);
            GatewayAccess.Verdict verdict;
            if (login.hasTarget()) {
                verdict = ctx.access().decide(login.user(), login.target(), login.remoteUser());
            } else if ("shell".equals(kind) && pty) {
                verdict = new TargetMenu(ctx.access(), login.user()).choose(in, out);
                if (verdict == null) {
                    exit.onExit(0);
                    return;
                }
            } else {
                verdict = GatewayAccess.Verdict.deny("name the target in the login: ssh " + login.user()
                        + "%TARGET@gateway (or log in without a command for a menu)");
            }
            if (!verdict.allowed()) {
                LOG.info("refused: " + login.user() + " from " + address(channel.getSession().getClientAddress())
                        + ": " + verdict.denial());
                fail("ttyaudit gateway: " + verdict.denial());
                return;
            }
            run(channel, env, login, verdict.route(), pty);
        } catch (IOException | RuntimeException e) {
            if (!destroyed) {
                LOG.warning("channel of " + user + " failed: " + e);
                fail("ttyaudit gateway: " + e.getMessage());
            }
        }
    }

    private void run(ChannelSession channel, Environment env, LoginName login, GatewayAccess.Route route,
                     boolean pty) throws IOException {
        Map<String, String> vars = env.getEnv();
        int cols = positive(vars.get(Environment.ENV_COLUMNS), DEFAULT_COLS);
        int rows = positive(vars.get(Environment.ENV_LINES), DEFAULT_ROWS);
        Map<PtyMode, Integer> modes = env.getPtyModes();
        boolean echoOff = pty && Integer.valueOf(0).equals(modes.get(PtyMode.ECHO));
        ChannelFacts facts = new ChannelFacts(login.user(), ctx.access().groupsOf(login.user()),
                address(channel.getSession().getClientAddress()), route, kind, commandLine,
                pty ? vars.get(Environment.ENV_TERM) : null, cols, rows, echoOff,
                ctx.access().capturePolicy(login.user(), route.target()));

        // Agent forwarding: granted by the ForwardingGuard when the user's client asked and the policy allows it.
        Boolean agentGranted = channel.getAttribute(AgentRelay.GRANTED);
        boolean relayAgent = Boolean.TRUE.equals(agentGranted) && ("shell".equals(kind) || "exec".equals(kind));
        targetSession = ctx.connector().connect(route);
        if (destroyed) {
            closeTarget();
            return;
        }
        AgentRelay agent = null;
        if (relayAgent) {
            // before the target's channel opens: the target may use the agent as soon as the command starts
            agent = new AgentRelay(channel.getSession(), login.user() + " on " + route.target(), ctx.openTimeout());
            targetSession.setAttribute(AgentRelay.KEY, agent);
        }
        ClientChannel ch = openTargetChannel(targetSession, facts, modes, vars, relayAgent);
        target = ch;
        ChannelRecording recording;
        try {
            ch.open().verify(ctx.openTimeout());
            recording = ctx.recordings().start(facts);
        } catch (IOException | RuntimeException e) {
            if (agent != null) {
                agent.abandon();
            }
            throw e;
        }
        this.recording = recording;
        if (agentGranted != null) {
            recordAgentForwarding(recording, login, agentGranted, relayAgent);
        }
        if (agent != null) {
            agent.recordTo(recording);
        }
        FileTaps.RecordingTap files = "exec".equals(kind) ? FileTaps.forExec(commandLine, recording)
                : "shell".equals(kind) ? null : FileTaps.forSubsystem(kind, recording);
        if (commandLine != null) {
            recording.execCommand(commandLine);
        }
        recording.onTerminate(reason -> hangUp("the audit server ended this session: " + printable(reason)));
        relaySignals(env, ch, recording, facts);

        Pump.Tap toUser = files != null ? files::fromServer : recording::output;
        Pump.Tap toTarget = files != null ? files::fromClient : recording::input;
        Thread stdout = pump("ttyaudit-gw-out", ch.getInvertedOut(), toUser, out, OUTPUT_BUFFER, this::outputEnded);
        Thread stderr = pty ? null
                : pump("ttyaudit-gw-err", ch.getInvertedErr(), toUser, err, INPUT_BUFFER, this::outputEnded);
        pump("ttyaudit-gw-in", in, toTarget, ch.getInvertedIn(), INPUT_BUFFER, failure -> inputEnded(ch, failure));

        ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0L);
        Pump.join(stdout);
        Pump.join(stderr);
        if (files != null) {
            files.close();
        }
        Integer status = ch.getExitStatus();
        String signal = ch.getExitSignal();
        Signal sig = signal == null ? null : Signal.get(signal);
        recording.finish(status, sig == null ? null : sig.getNumeric());
        closeTarget();
        if (destroyed) {
            return;
        }
        if (status == null && signal != null) {
            ChannelRequests.exitSignal(channel, signal);
            channel.close(false);
        } else {
            exit.onExit(status == null ? 255 : status);
        }
    }

    /** Auditors see that the user asked for agent forwarding, and whether it was relayed. */
    private void recordAgentForwarding(ChannelRecording recording, LoginName login, boolean granted, boolean relayed)
            throws IOException {
        if (relayed) {
            recording.marker("agent-forwarding-granted", "the user's agent is forwarded to the target");
        } else {
            recording.marker("agent-forwarding-refused", granted ? "not relayed on a " + kind + " channel"
                    : login.hasTarget() ? "the policy does not allow it"
                    : "the target was not named in the login (menu)");
        }
    }

    private ClientChannel openTargetChannel(ClientSession session, ChannelFacts facts, Map<PtyMode, Integer> modes,
                                            Map<String, String> vars, boolean agent) throws IOException {
        PtyChannelConfiguration ptyConfig = new PtyChannelConfiguration();
        if (facts.pty()) {
            ptyConfig.setPtyType(facts.term());
            ptyConfig.setPtyColumns(facts.cols());
            ptyConfig.setPtyLines(facts.rows());
            ptyConfig.setPtyModes(new HashMap<>(modes));
        }
        Map<String, String> forwarded = new HashMap<>();
        vars.forEach((k, v) -> {
            // The locale only: everything else a client sends is the target's business to refuse, not ours to pass.
            if (k.equals("LANG") || k.startsWith("LC_")) {
                forwarded.put(k, v);
            }
        });
        if ("shell".equals(kind)) {
            ChannelShell shell = session.createShellChannel(ptyConfig, forwarded);
            shell.setUsePty(facts.pty());
            shell.setAgentForwarding(agent);
            return shell;
        }
        if ("exec".equals(kind)) {
            ChannelExec exec = session.createExecChannel(commandLine.getBytes(StandardCharsets.UTF_8), ptyConfig, forwarded);
            exec.setUsePty(facts.pty());
            exec.setAgentForwarding(agent);
            return exec;
        }
        return session.createSubsystemChannel(kind);
    }

    private void relaySignals(Environment env, ClientChannel ch, ChannelRecording recording, ChannelFacts facts)
            throws IOException {
        WindowSize window = new WindowSize(env, ch, recording, facts.cols(), facts.rows());
        env.addSignalListener((channel, signal) -> {
            try {
                if (signal == Signal.WINCH) {
                    window.changed();
                } else {
                    ChannelRequests.signal(ch, signal.name());
                }
            } catch (IOException e) {
                LOG.fine("cannot relay " + signal + ": " + e);
            }
        });
        if (facts.pty()) {
            // A window-change that came while the gateway was logging in to the target found no listener yet;
            // the target's pty was opened with the size of the pty request.
            window.changed();
        }
    }

    /**
     * The size of the user's window as the target and the record know it: a change is recorded, then sent on, once
     * (the listener and the check after start-up may both see the same change).
     */
    private static final class WindowSize {
        private final Environment env;
        private final ClientChannel target;
        private final ChannelRecording recording;
        private int cols;
        private int rows;

        WindowSize(Environment env, ClientChannel target, ChannelRecording recording, int cols, int rows) {
            this.env = env;
            this.target = target;
            this.recording = recording;
            this.cols = cols;
            this.rows = rows;
        }

        synchronized void changed() throws IOException {
            Map<String, String> vars = env.getEnv();
            int newCols = positive(vars.get(Environment.ENV_COLUMNS), DEFAULT_COLS);
            int newRows = positive(vars.get(Environment.ENV_LINES), DEFAULT_ROWS);
            if (newCols == cols && newRows == rows) {
                return;
            }
            cols = newCols;
            rows = newRows;
            recording.resized(cols, rows);
            if (target instanceof org.apache.sshd.client.channel.PtyCapableChannelSession p) {
                p.sendWindowChange(cols, rows);
            }
        }
    }

    private Thread pump(String name, InputStream from, Pump.Tap tap, OutputStream to, int buffer, Pump.End end) {
        return new Pump(from, tap, to, buffer, end).start(name);
    }

    /** The target's output ended; a failure is the record failing (fail closed) or the user's side gone. */
    private void outputEnded(IOException failure) {
        if (failure != null && !destroyed) {
            hangUp(unrecordedReason());
        }
    }

    /** The user's input ended: pass the end on (the target's command sees EOF), or end the session on failure. */
    private void inputEnded(ClientChannel ch, IOException failure) {
        if (failure != null) {
            if (!destroyed) {
                hangUp(unrecordedReason());
            }
            return;
        }
        try {
            ch.getInvertedIn().close();
        } catch (IOException e) {
            // The target's channel is closing anyway.
        }
    }

    /** Why the user is told the session ends when the record failed; null when it did not (then a side left). */
    private String unrecordedReason() {
        ChannelRecording r = recording;
        IOException f = r == null ? null : r.failure();
        return f == null ? null : "the session cannot be recorded (" + f.getMessage() + ")";
    }

    /** Tells the user why (when there is a why) and closes the target's channel; the exit follows from there. */
    private void hangUp(String why) {
        if (why != null) {
            // Without a pty, stdout may be data a program reads (a pipe, a file transfer): tell the user on stderr.
            OutputStream to = pty ? out : err;
            try {
                to.write(("\r\nttyaudit: " + why + "; ending it.\r\n").getBytes(StandardCharsets.UTF_8));
                to.flush();
            } catch (IOException ignored) {
                // The user's side is gone.
            }
        }
        closeTarget();
    }

    private void closeTarget() {
        ClientChannel ch = target;
        if (ch != null) {
            ch.close(false);
        }
        ClientSession s = targetSession;
        if (s != null) {
            s.close(false);
        }
    }

    private void fail(String message) {
        try {
            err.write((message + "\r\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException ignored) {
            // Nothing to tell it to.
        }
        exit.onExit(1, message);
    }

    private static int positive(String value, int fallback) {
        try {
            int n = value == null ? 0 : Integer.parseInt(value.trim());
            return n > 0 && n <= 65535 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress()
                : String.valueOf(a);
    }

    /** {@code text} without control characters, so a reason from the server cannot send escape sequences. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), 200));
        text.codePoints().limit(200).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}
