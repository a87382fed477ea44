package org.ttyaudit.server.forwarding;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Supplier;

/**
 * Prometheus metrics of forwarding, by forwarder: documents delivered and refused, failed attempts, and the lag
 * (entries pending and seconds behind, read when scraped, so they are right after a restart too). Thread-safe.
 */
final class ForwardingMetrics {
    private static final Logger log = LoggerFactory.getLogger(ForwardingMetrics.class);

    private final Counter documents;
    private final Counter rejected;
    private final Counter failedAttempts;

    ForwardingMetrics(PrometheusRegistry registry, Supplier<List<ForwarderStatus>> statuses) {
        documents = Counter.builder().name("ttyaudit_forward_documents_total")
                .help("Documents delivered to forwarders' receivers").labelNames("forwarder").register(registry);
        rejected = Counter.builder().name("ttyaudit_forward_rejected_total")
                .help("Documents a receiver refused for good (kept in the store, not sent again)")
                .labelNames("forwarder").register(registry);
        failedAttempts = Counter.builder().name("ttyaudit_forward_failed_attempts_total")
                .help("Batches that failed to be delivered (each is tried again with backoff)")
                .labelNames("forwarder").register(registry);
        GaugeWithCallback.builder().name("ttyaudit_forward_lag_entries")
                .help("Feed entries (ledger leaves and signed tree heads) not yet forwarded").labelNames("forwarder")
                .callback(c -> read(statuses).forEach(s -> c.call(s.pending(), s.name()))).register(registry);
        GaugeWithCallback.builder().name("ttyaudit_forward_lag_seconds")
                .help("How long the oldest entry not yet forwarded has waited at most (0 when none)")
                .labelNames("forwarder")
                .callback(c -> read(statuses).forEach(s -> c.call(s.lagSeconds(), s.name()))).register(registry);
    }

    void delivered(String forwarder, long delivered, long refused) {
        documents.labelValues(forwarder).inc(delivered);
        if (refused > 0) {
            rejected.labelValues(forwarder).inc(refused);
        }
    }

    void attemptFailed(String forwarder) {
        failedAttempts.labelValues(forwarder).inc();
    }

    private static List<ForwarderStatus> read(Supplier<List<ForwarderStatus>> statuses) {
        try {
            return statuses.get();
        } catch (RuntimeException e) {
            log.warn("cannot read the forwarders' lag for the metrics: {}", e.toString());
            return List.of();
        }
    }
}
