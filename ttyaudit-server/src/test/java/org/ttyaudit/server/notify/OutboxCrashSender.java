package org.ttyaudit.server.notify;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.server.store.sqlite.SqliteStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * A server's notification half in a child JVM, for {@link DispatcherRestartTest}: opens the store, starts a
 * dispatcher for one webhook, queues alerts 1..N (printing {@code queued ID} after each commit), then runs until
 * it is killed. Arguments: database file, webhook URL, N.
 */
public final class OutboxCrashSender {
    private OutboxCrashSender() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        SqliteStore store = SqliteStore.open(db);
        NotifyTargets targets = NotifyTargets.parse(YamlConfig.parse("notify:\n  targets:\n"
                + "    - {name: ops, type: webhook, url: '" + args[1] + "', timeout: 5m}\n",
                db.resolveSibling("server.yaml").toString()).mapping("notify"));
        NotificationDispatcher d = new NotificationDispatcher(store.notifications(), targets,
                new PrometheusRegistry(), Clock.systemUTC()).start();
        int n = Integer.parseInt(args[2]);
        for (long id = 1; id <= n; id++) {
            AlertNotice notice = new AlertNotice(new UUID(0, id), "sudo", "high", null, "command", "sudo -n true",
                    new UUID(0, id), "alice", "db-1", null, Instant.now(), null);
            store.write(tx -> tx.enqueueNotification("ops", notice.toJson(), Instant.now()));
            d.wake();
            System.out.println("queued " + id);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
