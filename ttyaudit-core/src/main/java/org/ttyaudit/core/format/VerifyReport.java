package org.ttyaudit.core.format;

import java.util.List;

/**
 * The outcome of {@link RecordVerifier#verify}: whether the record is intact (nothing damaged, missing in the
 * middle, reordered or altered), whether it is complete (has its end record), the chunks and events found,
 * and one line per problem, each naming the chunk seq and byte offset where it can.
 *
 * @param notes facts that are not problems, e.g. that the record ends cleanly without an end record
 */
public record VerifyReport(boolean intact, boolean complete, long chunks, long events, List<String> problems,
                           List<String> notes) {

    public VerifyReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        if (intact != problems.isEmpty()) {
            throw new IllegalArgumentException("a report is intact exactly when it lists no problems");
        }
    }

    public VerifyReport(boolean intact, boolean complete, long chunks, long events, List<String> problems) {
        this(intact, complete, chunks, events, problems, List.of());
    }

    /** One line for a user: "intact, complete: 12 chunks, 3456 events" or the first problem and how many more. */
    public String summary() {
        String counts = chunks + " chunks, " + events + " events";
        if (intact) {
            return (complete ? "intact, complete: " : "intact but incomplete (no end record): ") + counts;
        }
        return "NOT intact: " + problems.get(0)
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : "");
    }
}
