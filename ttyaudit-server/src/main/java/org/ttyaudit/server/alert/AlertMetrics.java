package org.ttyaudit.server.alert;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Prometheus metrics of the rules: alerts raised (by rule and severity), events evaluated, rule file reloads,
 * and how long after the event an alert was stored (the server's share of "Enter to alert"). Thread-safe.
 */
public final class AlertMetrics {
    private final Counter alerts;
    private final Counter events;
    private final Counter reloads;
    private final Histogram delaySeconds;

    public AlertMetrics(PrometheusRegistry registry) {
        alerts = Counter.builder().name("ttyaudit_alerts_total").help("Alerts raised, by rule and severity")
                .labelNames("rule", "severity").register(registry);
        events = Counter.builder().name("ttyaudit_rules_events_total")
                .help("Session events the rules evaluated").register(registry);
        reloads = Counter.builder().name("ttyaudit_rules_reloads_total")
                .help("Rule file loads by outcome (loaded, failed: the previous rules stay in force)")
                .labelNames("outcome").register(registry);
        delaySeconds = Histogram.builder().name("ttyaudit_alert_delay_seconds")
                .help("From the event's time (the recorder's clock) to the alert stored on the server")
                .classicOnly().classicUpperBounds(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 60)
                .register(registry);
    }

    void raised(String rule, String severity, double delaySeconds) {
        alerts.labelValues(rule, severity).inc();
        this.delaySeconds.observe(Math.max(0, delaySeconds));
    }

    void evaluated(long count) {
        events.inc(count);
    }

    void reloaded(boolean ok) {
        reloads.labelValues(ok ? "loaded" : "failed").inc();
    }
}
