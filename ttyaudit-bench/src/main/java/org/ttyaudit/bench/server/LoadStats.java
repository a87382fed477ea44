package org.ttyaudit.bench.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the simulated sessions got done: committed chunks and bytes (three ways of counting: the terminal bytes
 * the chunks record, the uncompressed event payload, and the HTTP body on the wire), refused requests by status,
 * and two latency distributions: per request (send to answer) and per chunk (sealed to committed, which includes
 * waiting behind the session's previous request, as a recorder's chunk does), and in live mode how late the
 * generator itself ran each session's tick.
 *
 * <p>Thread-safe. {@link #reset} starts the measured window (after the warm-up).
 */
final class LoadStats {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong chunks = new AtomicLong();
    final AtomicLong terminalBytes = new AtomicLong();
    final AtomicLong payloadBytes = new AtomicLong();
    final AtomicLong wireBytes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final Latencies requestLatency = new Latencies();
    final Latencies chunkLatency = new Latencies();
    /** Live mode: how late each typist's tick ran against its schedule (the generator's own lateness). */
    final Latencies typistLateness = new Latencies();
    private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    void committed(int chunkCount, long terminal, long payload, long wire, long requestNanos) {
        requests.incrementAndGet();
        chunks.addAndGet(chunkCount);
        terminalBytes.addAndGet(terminal);
        payloadBytes.addAndGet(payload);
        wireBytes.addAndGet(wire);
        requestLatency.add(requestNanos);
    }

    /** A request that was answered with an error status, or not answered at all ({@code status} "io"). */
    void failed(String status, String message) {
        failures.incrementAndGet();
        refusals.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        firstError.compareAndSet(null, status + " " + message);
    }

    void reset() {
        requests.set(0);
        chunks.set(0);
        terminalBytes.set(0);
        payloadBytes.set(0);
        wireBytes.set(0);
        requestLatency.clear();
        chunkLatency.clear();
        typistLateness.clear();
    }

    Map<String, Long> refusals() {
        Map<String, Long> m = new TreeMap<>();
        refusals.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    String firstError() {
        return firstError.get();
    }
}
