package org.ttyaudit.server.ingest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Prometheus metrics of ingest: what was accepted and refused, and how long commits take. Thread-safe. */
public final class IngestMetrics {

    private final Counter requests;
    private final Counter chunks;
    private final Counter bytes;
    private final Histogram commitSeconds;

    public IngestMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("ttyaudit_ingest_requests_total")
                .help("Ingest requests by outcome (accepted, refused)").labelNames("outcome").register(registry);
        chunks = Counter.builder().name("ttyaudit_ingest_chunks_total").help("Chunks stored").register(registry);
        bytes = Counter.builder().name("ttyaudit_ingest_bytes_total").help("Bytes of accepted ingest requests")
                .register(registry);
        commitSeconds = Histogram.builder().name("ttyaudit_ingest_commit_seconds")
                .help("Time to commit one group of requests (blob batch + store transaction)")
                .classicOnly().classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5)
                .register(registry);
    }

    void committed(int requestsInGroup, int acceptedInGroup, long nanos) {
        requests.labelValues("accepted").inc(acceptedInGroup);
        requests.labelValues("refused").inc(requestsInGroup - acceptedInGroup);
        commitSeconds.observe(nanos / 1e9);
    }

    void accepted(int chunkCount, long byteCount) {
        chunks.inc(chunkCount);
        bytes.inc(byteCount);
    }

    /** A request refused before it reached the committer (it did not parse). */
    public void refused() {
        requests.labelValues("refused").inc();
    }
}
