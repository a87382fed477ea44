package org.ttyaudit.server.retention;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.ttyaudit.server.store.StorageRow;
import org.ttyaudit.server.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Prometheus metrics of storage and retention: totals only, with no per-user or per-host label. Users and hosts
 * are unbounded sets (every login name and every machine of a fleet), and each label value would be a time series
 * kept forever by the monitoring system; the breakdown is in {@code GET /api/v1/storage/stats} instead. The
 * storage totals add up the sessions table, so a scrape reuses a result up to {@link #REFRESH} old rather than
 * scanning on every scrape. Thread-safe.
 */
public final class RetentionMetrics {
    static final Duration REFRESH = Duration.ofSeconds(60);

    private final Store store;
    private final Clock clock;
    private StorageRow totals;
    private long activeHolds;
    private Instant readAt;

    public RetentionMetrics(PrometheusRegistry registry, Store store, Pruner pruner, Clock clock) {
        this.store = store;
        this.clock = clock;
        GaugeWithCallback.builder().name("ttyaudit_storage_stored_bytes")
                .help("Chunk bytes stored (compressed) of the sessions whose content is not pruned")
                .callback(c -> c.call(totals().storedBytes())).register(registry);
        GaugeWithCallback.builder().name("ttyaudit_storage_raw_bytes")
                .help("The same chunks' event bytes before compression (sessions whose raw size is known)")
                .callback(c -> c.call(totals().rawBytes())).register(registry);
        GaugeWithCallback.builder().name("ttyaudit_storage_compression_ratio")
                .help("Raw bytes per stored byte, over the sessions whose raw size is known")
                .callback(c -> c.call(totals().compressionRatio())).register(registry);
        GaugeWithCallback.builder().name("ttyaudit_storage_sessions")
                .help("Sessions whose content is stored (not pruned)")
                .callback(c -> c.call(totals().sessions())).register(registry);
        GaugeWithCallback.builder().name("ttyaudit_legal_holds_active")
                .help("Legal holds in force")
                .callback(c -> c.call(holds())).register(registry);
        CounterWithCallback.builder().name("ttyaudit_retention_pruned_sessions_total")
                .help("Sessions whose content the retention job pruned since the start")
                .callback(c -> c.call(pruner.prunedSessions())).register(registry);
        CounterWithCallback.builder().name("ttyaudit_retention_freed_bytes_total")
                .help("Chunk bytes the retention job deleted since the start")
                .callback(c -> c.call(pruner.freedBytes())).register(registry);
        GaugeWithCallback.builder().name("ttyaudit_retention_last_run_timestamp_seconds")
                .help("When the retention job last went through every session it weighs (0: not yet)")
                .callback(c -> c.call(pruner.lastRunCompleted() == null ? 0
                        : pruner.lastRunCompleted().toEpochMilli() / 1000.0)).register(registry);
    }

    private synchronized StorageRow totals() {
        refresh();
        return totals;
    }

    private synchronized long holds() {
        refresh();
        return activeHolds;
    }

    private void refresh() {
        Instant now = clock.instant();
        if (readAt == null || Duration.between(readAt, now).compareTo(REFRESH) >= 0) {
            totals = store.retention().storageTotals();
            activeHolds = store.retention().holds(false).size();
            readAt = now;
        }
    }
}
