package org.ttyaudit.core.asciicast;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Fuzzing input near valid input: up to four edits, each deleting a character and/or inserting a snippet. */
public final class Mutations {
    private Mutations() {
    }

    /** {@code valid} with between {@code minEdits} and 4 edits at random positions. */
    public static Arbitrary<String> of(String valid, Arbitrary<String> snippets, int minEdits) {
        return Arbitraries.integers().between(0, valid.length()).list().ofMinSize(minEdits).ofMaxSize(4)
                .flatMap(positions -> snippets.list().ofSize(positions.size()).map(snips -> {
                    StringBuilder sb = new StringBuilder(valid);
                    for (int i = 0; i < positions.size(); i++) {
                        int at = Math.min(positions.get(i), sb.length());
                        if (i % 2 == 0 && at < sb.length()) {
                            sb.deleteCharAt(at);
                        }
                        sb.insert(Math.min(at, sb.length()), snips.get(i));
                    }
                    return sb.toString();
                }));
    }
}
