package org.ttyaudit.core.redact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A secret found in a text: characters {@code [start, end)}, found by the rule at {@code ruleIndex}. */
record Span(int start, int end, int ruleIndex) {
    private static final Comparator<Span> ORDER = Comparator.comparingInt(Span::start)
            .thenComparing(Comparator.comparingInt(Span::end).reversed())
            .thenComparingInt(Span::ruleIndex);

    /**
     * Sorts and merges overlapping or touching spans, so each secret is masked once. A merged span keeps the rule
     * of its earliest (then longest, then first-listed) part.
     */
    static List<Span> merge(List<Span> spans) {
        if (spans.size() < 2) {
            return spans;
        }
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(ORDER);
        List<Span> merged = new ArrayList<>(sorted.size());
        Span current = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            Span next = sorted.get(i);
            if (next.start <= current.end) {
                if (next.end > current.end) {
                    current = new Span(current.start, next.end, current.ruleIndex);
                }
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return merged;
    }
}
