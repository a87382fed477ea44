package org.ttyaudit.bench.server;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, appended from many threads, summarised as percentiles. Every sample is kept
 * (a run of 1000 sessions for 10 minutes is 600 000 longs, 4.8 MB), so the percentiles are exact.
 *
 * <p>Thread-safe: {@link #add} and {@link #summary} synchronise on the instance.
 */
public final class Latencies {
    private long[] samples = new long[1024];
    private int size;

    public synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    /** The samples so far, sorted, as a summary; the samples are kept. */
    public synchronized Summary summary() {
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return Summary.of(sorted);
    }

    /** Forgets every sample (the end of a warm-up). */
    public synchronized void clear() {
        size = 0;
    }

    /** Percentiles of a sorted sample set, in milliseconds; all zero when there is none. */
    public record Summary(int count, double p50, double p95, double p99, double max, double mean) {
        static Summary of(long[] sorted) {
            if (sorted.length == 0) {
                return new Summary(0, 0, 0, 0, 0, 0);
            }
            double sum = 0;
            for (long s : sorted) {
                sum += s;
            }
            return new Summary(sorted.length, millis(at(sorted, 0.50)), millis(at(sorted, 0.95)),
                    millis(at(sorted, 0.99)), millis(sorted[sorted.length - 1]), sum / sorted.length / 1e6);
        }

        /** Nearest-rank percentile: the smallest sample that at least {@code q} of the samples do not exceed. */
        private static long at(long[] sorted, double q) {
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }

        private static double millis(long nanos) {
            return nanos / 1e6;
        }

        @Override
        public String toString() {
            return String.format("n=%d p50=%.1f p95=%.1f p99=%.1f max=%.1f mean=%.1f ms", count, p50, p95, p99, max,
                    mean);
        }
    }
}
