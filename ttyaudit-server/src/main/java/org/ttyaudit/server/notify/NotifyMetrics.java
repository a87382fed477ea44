package org.ttyaudit.server.notify;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.store.NotificationOutbox;

import java.util.Map;

/**
 * Prometheus metrics of notification delivery, by target: notifications sent, failed attempts, notifications
 * given up, entries pending and kept as failed (read from the outbox when scraped, so they are right after a
 * restart too), and the time from queueing to delivery. Thread-safe.
 */
final class NotifyMetrics {
    private static final Logger log = LoggerFactory.getLogger(NotifyMetrics.class);

    private final Counter sent;
    private final Counter failedAttempts;
    private final Counter givenUp;
    private final Histogram deliverySeconds;

    NotifyMetrics(PrometheusRegistry registry, NotificationOutbox outbox) {
        sent = Counter.builder().name("ttyaudit_notify_sent_total").help("Notifications delivered")
                .labelNames("target").register(registry);
        failedAttempts = Counter.builder().name("ttyaudit_notify_failed_attempts_total")
                .help("Delivery attempts that failed (each is retried until given up)").labelNames("target")
                .register(registry);
        givenUp = Counter.builder().name("ttyaudit_notify_given_up_total")
                .help("Notifications whose delivery was given up (kept in the outbox as failed)")
                .labelNames("target").register(registry);
        deliverySeconds = Histogram.builder().name("ttyaudit_notify_delivery_seconds")
                .help("Time from queueing a notification to its delivery").labelNames("target")
                .classicOnly().classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 60, 300, 3600)
                .register(registry);
        GaugeWithCallback.builder().name("ttyaudit_notify_pending")
                .help("Notifications waiting for delivery").labelNames("target")
                .callback(c -> pendingCounts(outbox).forEach((target, n) -> c.call(n, target))).register(registry);
        GaugeWithCallback.builder().name("ttyaudit_notify_failed")
                .help("Notifications whose delivery was given up, kept in the outbox")
                .callback(c -> c.call(failedCount(outbox))).register(registry);
    }

    void delivered(String target, double secondsSinceQueued) {
        sent.labelValues(target).inc();
        deliverySeconds.labelValues(target).observe(Math.max(0, secondsSinceQueued));
    }

    void attemptFailed(String target) {
        failedAttempts.labelValues(target).inc();
    }

    void gaveUp(String target) {
        givenUp.labelValues(target).inc();
    }

    private static Map<String, Long> pendingCounts(NotificationOutbox outbox) {
        try {
            return outbox.pendingCounts();
        } catch (RuntimeException e) {
            log.warn("cannot count pending notifications for the metrics: {}", e.toString());
            return Map.of();
        }
    }

    private static double failedCount(NotificationOutbox outbox) {
        try {
            return outbox.failedCount();
        } catch (RuntimeException e) {
            log.warn("cannot count failed notifications for the metrics: {}", e.toString());
            return Double.NaN;
        }
    }
}
