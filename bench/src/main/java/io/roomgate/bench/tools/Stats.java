package io.roomgate.bench.tools;

import java.util.Arrays;

/** Latency samples in microseconds; percentiles by sorting (runs are bounded, samples are few). */
final class Stats {
    private long[] samples = new long[1024];
    private int n;

    synchronized void add(long micros) {
        if (n == samples.length) {
            samples = Arrays.copyOf(samples, n * 2);
        }
        samples[n++] = micros;
    }

    synchronized void addAll(Stats other) {
        for (int i = 0; i < other.n; i++) {
            add(other.samples[i]);
        }
    }

    synchronized int count() {
        return n;
    }

    /** Percentile in milliseconds. */
    synchronized double pct(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, idx))] / 1000.0;
    }

    String summary() {
        return String.format("n=%d p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms", count(), pct(50), pct(90), pct(99), pct(100));
    }
}
