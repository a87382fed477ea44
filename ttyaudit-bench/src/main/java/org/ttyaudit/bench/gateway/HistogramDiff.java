package org.ttyaudit.bench.gateway;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** What grew between two {@code jcmd PID GC.class_histogram} outputs: the classes that hold a session's heap. */
final class HistogramDiff {
    private HistogramDiff() {
    }

    /** Prints the {@code top} classes by bytes grown, per session. */
    static void print(String before, String after, int sessions, int top, PrintStream out) {
        Map<String, long[]> b = parse(before);
        Map<String, long[]> a = parse(after);
        out.println("gwload: heap growth per idle session by class (instances, bytes):");
        a.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - b.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - b.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1])).limit(top)
                .forEach(e -> out.printf("gwload:   %8.1f %10.0f  %s%n", e.getValue()[0] / (double) sessions,
                        e.getValue()[1] / (double) sessions, e.getKey()));
    }

    /** Lines {@code "   1:  12345  678901  java.lang.String (java.base@17)"}: class → {instances, bytes}. */
    private static Map<String, long[]> parse(String histogram) {
        Map<String, long[]> m = new HashMap<>();
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":") && f[1].matches("\\d+") && f[2].matches("\\d+")) {
                m.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return m;
    }
}
