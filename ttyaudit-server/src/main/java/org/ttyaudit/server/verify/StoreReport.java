package org.ttyaudit.server.verify;

import java.util.List;

/**
 * The outcome of checking a server's store ({@link StoreVerifier}): intact exactly when no problem was found;
 * one line per problem, each naming what it is about (session id and chunk seq with the blob's location, ledger
 * leaf index, node, signed head's tree size, audit event id) and what is wrong; how many problems there were in
 * all (when there were more than the report keeps, only the first lines are listed); notes that are facts, not
 * problems (the latest signed head to compare with a copy kept elsewhere, an unsigned tail of the ledger); and
 * what was checked.
 *
 * @param problemCount every problem found, at least {@code problems.size()}
 */
public record StoreReport(List<String> problems, long problemCount, List<String> notes, Counts counts) {

    /** How much was checked: session rows, chunk rows, audit events, alerts, stored ledger leaves, signed heads. */
    public record Counts(long sessions, long chunks, long auditEvents, long alerts, long leaves, long signedHeads) {
        @Override
        public String toString() {
            return sessions + " sessions, " + chunks + " chunks, " + auditEvents + " audit events, " + alerts
                    + " alerts, " + leaves + " ledger leaves, " + signedHeads + " signed heads";
        }
    }

    public StoreReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        if (problemCount < problems.size()) {
            throw new IllegalArgumentException("a report counts at least the " + problems.size()
                    + " problems it lists, not " + problemCount);
        }
        if (counts == null) {
            throw new IllegalArgumentException("a report says what was checked");
        }
    }

    public boolean intact() {
        return problemCount == 0;
    }

    /** One line: "intact: 4 sessions, …" or "NOT intact: 3 problems in 4 sessions, …". */
    public String summary() {
        if (intact()) {
            return "intact: " + counts;
        }
        String unlisted = problemCount > problems.size()
                ? " (the first " + problems.size() + " are listed)" : "";
        return "NOT intact: " + problemCount + (problemCount == 1 ? " problem" : " problems") + unlisted
                + " in " + counts;
    }
}
