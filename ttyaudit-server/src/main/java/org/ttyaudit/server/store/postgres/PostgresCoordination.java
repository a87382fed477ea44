package org.ttyaudit.server.store.postgres;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.cluster.Coordination;
import org.ttyaudit.server.cluster.Leadership;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@link Coordination} of the instances sharing one PostgreSQL database, over one connection of its own (the
 * "link", outside the pools, held by one thread):
 * <ul>
 *   <li><b>Leadership</b> is the session-level advisory lock {@link #LEADER_LOCK}: the instance whose link holds
 *       it leads. The others try to take it every {@link #POLL_MILLIS} ms. When the leader dies (kill -9, a lost
 *       host) PostgreSQL ends its backend and so releases the lock; the link asks the server to notice a silent
 *       peer within about {@code 5 + 3 × 2} s (TCP keepalives). A leader whose link breaks stops leading at once,
 *       before it reconnects: it cannot know whether the lock is still its own; and it stands back for
 *       {@link #STAND_BACK_MILLIS} before competing again, so that a follower with a healthy link takes over.</li>
 *   <li><b>Messages</b> are {@code LISTEN/NOTIFY} on three channels: {@link #COMMITS} (sent inside each write
 *       transaction that changed session content, so it is heard only once that is committed: see
 *       {@link PostgresDialect}), {@link #WATCHED}, {@link #HEARD} and {@link #SIGN}. Each payload starts with the sender's
 *       instance id; an instance ignores its own messages.</li>
 * </ul>
 * Thread-safe.
 */
final class PostgresCoordination implements Coordination, Leadership {
    private static final Logger log = LoggerFactory.getLogger(PostgresCoordination.class);

    /** The advisory lock whose holder leads: {@link PostgresDatabase#WRITE_LOCK} + 1 ("ttyaudiu"). */
    static final long LEADER_LOCK = PostgresDatabase.WRITE_LOCK + 1;
    static final String COMMITS = "ttyaudit_commits";
    static final String WATCHED = "ttyaudit_watched";
    static final String SIGN = "ttyaudit_sign";
    static final String HEARD = "ttyaudit_heard";
    /** How often a follower tries to lead, and how long the link waits for a message before it looks again. */
    static final int POLL_MILLIS = 500;
    private static final int MAX_BACKOFF_MILLIS = 5_000;
    /**
     * How long an instance whose link broke waits after reconnecting before it competes for leadership again:
     * long enough for a follower with a healthy link to take over first (a broken link is a sign of trouble).
     */
    static final long STAND_BACK_MILLIS = 4L * POLL_MILLIS;
    /** Session ids per message: a payload must stay under PostgreSQL's 8000 bytes. */
    private static final int IDS_PER_MESSAGE = 150;

    private final PostgresSettings settings;
    private final PostgresDatabase db;
    private final String instanceId;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> gainListeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean leading;
    private volatile boolean closed;
    private boolean started;
    /** Only the link thread uses it: no competing for leadership before this {@link System#nanoTime()}. */
    private long competeAfter = System.nanoTime();
    /**
     * Only the link thread uses it; volatile for {@link #listening()}. Set once connected and listening (messages
     * sent before that are not heard here), null while there is no link.
     */
    private volatile Connection link;

    PostgresCoordination(PostgresSettings settings, PostgresDatabase db, String instanceId) {
        this.settings = settings;
        this.db = db;
        this.instanceId = instanceId;
        this.thread = new Thread(this::run, "ttyaudit-cluster-link");
        this.thread.setDaemon(true);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Leadership leadership() {
        return this;
    }

    @Override
    public boolean leading() {
        return leading;
    }

    @Override
    public void whenGained(Runnable listener) {
        gainListeners.add(listener);
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void start() {
        if (!started && !closed) {
            started = true;
            thread.start();
        }
    }

    @Override
    public void announceWatched(Set<UUID> sessions) {
        for (String payload : payloads(instanceId, sessions)) {
            publish(WATCHED, payload);
        }
    }

    @Override
    public void announceHeard(Set<UUID> sessions) {
        for (String payload : payloads(instanceId, sessions)) {
            publish(HEARD, payload);
        }
    }

    @Override
    public void requestSigning() {
        publish(SIGN, instanceId);
    }

    /** Whether this instance hears messages now (its link is connected and listening). */
    boolean listening() {
        return link != null;
    }

    /** This instance's id, which starts the payload of its messages. */
    String instanceId() {
        return instanceId;
    }

    /**
     * The payloads that name {@code sessions}: "{@code INSTANCE ID ID …}", as many as the ids need.
     * Also used inside write transactions ({@link PostgresDialect}).
     */
    static List<String> payloads(String instanceId, Set<UUID> sessions) {
        List<UUID> ids = List.copyOf(sessions);
        List<String> out = new java.util.ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_MESSAGE) {
            StringBuilder b = new StringBuilder(instanceId);
            for (UUID id : ids.subList(from, Math.min(ids.size(), from + IDS_PER_MESSAGE))) {
                b.append(' ').append(id);
            }
            out.add(b.toString());
        }
        return out;
    }

    private void publish(String channel, String payload) {
        try {
            db.read("notifying the other instances", c -> {
                try (PreparedStatement st = c.prepare("SELECT pg_notify(?, ?)")) {
                    st.setString(1, channel);
                    st.setString(2, payload);
                    st.executeQuery().close();
                }
                return null;
            });
        } catch (RuntimeException e) {
            // a hint only: the others poll too, and a lost message costs latency, not data
            log.debug("could not notify the other instances on {}: {}", channel, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeLink();   // if the thread did not get to it: closing the connection releases the lock
    }

    private void run() {
        int backoff = 0;
        boolean everConnected = false;
        while (!closed) {
            try {
                if (link == null) {
                    link = connect();
                    if (everConnected) {
                        log.info("the link to the other instances is back; messages of the break are lost");
                        listeners.forEach(Listener::reconnected);
                    }
                    everConnected = true;
                    backoff = 0;
                }
                if (!leading && System.nanoTime() - competeAfter >= 0) {
                    tryToLead();
                } else {
                    heartbeat();
                }
                PGNotification[] got = link.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (got != null) {
                    for (PGNotification n : got) {
                        dispatch(n.getName(), n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                linkBroke(e);
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(250, backoff * 2));
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
        leading = false;
        closeLink();
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (settings.user() != null) {
            p.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            p.setProperty("password", settings.password());
        }
        settings.driverProperties().forEach(p::setProperty);
        p.setProperty("ApplicationName", "ttyaudit-server cluster link");
        p.setProperty("tcpKeepAlive", "true");
        // a link that hangs (a silent network) fails within this many seconds instead of for ever
        p.setProperty("socketTimeout", "30");
        Connection c = DriverManager.getConnection(settings.jdbcUrl(), p);
        try (Statement st = c.createStatement()) {
            // the server notices a vanished instance within ~11 s and ends its backend, releasing leadership
            st.execute("SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3");
            st.execute("LISTEN " + COMMITS + "; LISTEN " + WATCHED + "; LISTEN " + HEARD + "; LISTEN " + SIGN);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void tryToLead() throws SQLException {
        try (Statement st = link.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + LEADER_LOCK + ")")) {
            if (rs.next() && rs.getBoolean(1)) {
                leading = true;
                log.info("this instance now leads the fleet (signs tree heads, runs rules, indexing, forwarding,"
                        + " notifications and retention)");
                gainListeners.forEach(Runnable::run);
            }
        }
    }

    /** A leader checks its link every round: the lock is its own only while the connection lives. */
    private void heartbeat() throws SQLException {
        try (Statement st = link.createStatement()) {
            st.execute("SELECT 1");
        }
    }

    private void linkBroke(Exception e) {
        if (leading) {
            leading = false;
            log.warn("the link to the database broke: this instance stops leading (another takes over): {}",
                    e.toString());
        } else {
            log.warn("the link to the other instances is down, retrying: {}", e.toString());
        }
        closeLink();
        competeAfter = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(STAND_BACK_MILLIS);
    }

    private void dispatch(String channel, String payload) {
        if (payload == null) {
            return;
        }
        String[] parts = payload.split(" ");
        if (parts[0].equals(instanceId)) {
            return;   // our own message
        }
        try {
            switch (channel) {
                case COMMITS -> each(l -> l.committedElsewhere(ids(parts)));
                case WATCHED -> each(l -> l.watchedElsewhere(ids(parts)));
                case HEARD -> each(l -> l.recordersHeardElsewhere(ids(parts)));
                case SIGN -> {
                    if (leading) {
                        each(Listener::signingRequested);
                    }
                }
                default -> log.debug("ignoring a message on {}", channel);
            }
        } catch (IllegalArgumentException bad) {
            log.warn("ignoring a malformed message on {}: {}", channel, bad.getMessage());
        }
    }

    private void each(Consumer<Listener> call) {
        for (Listener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("a cluster message listener failed: {}", e.toString());
            }
        }
    }

    private static Set<UUID> ids(String[] parts) {
        Set<UUID> out = new java.util.LinkedHashSet<>();
        for (int i = 1; i < parts.length; i++) {
            out.add(UUID.fromString(parts[i]));
        }
        return out;
    }

    private void closeLink() {
        Connection c = link;
        link = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing the cluster link: {}", e.toString());
            }
        }
    }
}
