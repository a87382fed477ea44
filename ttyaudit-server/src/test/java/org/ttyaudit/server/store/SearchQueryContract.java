package org.ttyaudit.server.store;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Whatever a user types into the search box, a store answers with hits or with a {@link StoreException} that says
 * what is wrong with the query; never with an error of its engine (SQL, FTS5, tsquery syntax). And a word of the
 * text is found whatever punctuation the user puts around it. Every store's properties extend this class.
 */
public abstract class SearchQueryContract {
    private Store store;

    /** A new, empty store for one property (closed after it). */
    protected abstract Store openStore();

    @BeforeProperty
    void fill() {
        store = openStore();
        UUID id = TestData.sessionId(0, 1);
        store.write(tx -> {
            tx.insertSession(TestData.newSession(TestData.header().id(id).build()));
            tx.insertCommands(List.of(
                    TestData.command(id, 0, "cat /etc/passwd", 1_000_000),
                    TestData.command(id, 1, "rm -rf /tmp/build && echo \"done\" NOT NEAR(x) OR y:z", 2_000_000),
                    TestData.command(id, 2, "grep -i 'ÜBER straße' café.txt | 日本語", 3_000_000),
                    TestData.command(id, 3, "printf '%s_%d\\n' 50% C:\\temp\\x [a-z]* ОТЧЁТ.log", 4_000_000)));
            tx.insertOutputText(new OutputText(id, 0, 0, "root:x:0:0:root:/root:/bin/bash\r\n$ ls\r\n"));
            return null;
        });
    }

    @AfterProperty
    void close() {
        store.close();
    }

    private Page<SearchHit> search(String query) {
        return store.sessions().search(query, SessionFilter.all(), null, 20);
    }

    @Property(tries = 400)
    void anyTextIsAQueryOrAClearError(@ForAll @StringLength(max = 60) String query) {
        try {
            assertThat(search(query).items()).isNotNull();
        } catch (StoreException e) {
            assertThat(e.getMessage()).startsWith("the search query").doesNotContainIgnoringCase("sql")
                    .doesNotContainIgnoringCase("fts5").doesNotContainIgnoringCase("tsquery");
            assertThat(e.getCause()).isNull();
        }
    }

    /** Random text rarely holds a quote, a star and a control character together; this does, often. */
    @Property(tries = 400)
    void textOfTheCharactersThatMatterIsAQueryOrAClearError(@ForAll("tricky") String query) {
        anyTextIsAQueryOrAClearError(query);
        if (query.codePoints().anyMatch(Character::isLetterOrDigit)) {
            assertIsAQueryUnlessASubstringIsTooShort(query);
        }
    }

    /** Text with a word is a query; the one error it may get is a substring term ({@code *ab*}) too short. */
    private void assertIsAQueryUnlessASubstringIsTooShort(String query) {
        try {
            assertThat(search(query).items()).as(query).isNotNull();
        } catch (StoreException e) {
            assertThat(query).contains("*");
            assertThat(e.getMessage()).as(query).startsWith("the search query's substring term")
                    .contains("shorter than 3 characters");
        }
    }

    @Provide
    Arbitrary<String> tricky() {
        return Arbitraries.strings().withChars("\"*\u0000\u0001\u001b\t\n\r -/:()^'ab9日\ud800")
                .ofMaxLength(20);
    }

    @Property(tries = 300)
    void textWithAWordInItIsAlwaysAQuery(@ForAll @StringLength(max = 30) String before,
                                         @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 8) String word,
                                         @ForAll @StringLength(max = 30) String after) {
        assertIsAQueryUnlessASubstringIsTooShort(before + " " + word + " " + after);
    }

    /**
     * Stars only as a prefix operator right after the word: a word that starts with one is a substring term,
     * whose punctuation is literal (and which may be too short).
     */
    @Property(tries = 300)
    void aWordIsFoundWhateverPunctuationSurroundsIt(@ForAll("punctuationWithoutStar") String before,
                                                    @ForAll boolean prefix,
                                                    @ForAll("punctuationWithoutStar") String after) {
        String query = before + "passwd" + (prefix ? "*" : "") + after;

        assertThat(search(query).items()).as(query).extracting(SearchHit::snippet)
                .contains("cat /etc/[[passwd]]");
    }

    @Provide
    Arbitrary<String> punctuationWithoutStar() {
        return Arbitraries.strings().withChars("-/:.,;()[]{}<>!?@#$%^&+=|\\'`~\"_ ").ofMaxLength(6);
    }

    /**
     * Any piece of a command line (without white space or quotes, which end a word) of at least 3 characters,
     * in any case and between stars, finds that command line, marked where it occurs: whatever punctuation,
     * LIKE wildcards or backslashes it holds.
     */
    @Property(tries = 300)
    void anyPieceOfACommandLineBetweenStarsFindsIt(@ForAll("commandLines") String line,
                                                   @ForAll @IntRange(max = 100_000) int pick,
                                                   @ForAll boolean upperCase,
                                                   @ForAll boolean trailingStar) {
        // chosen among the pieces the property is about, not generated and then filtered: filtering rejected
        // most tries (these lines are mostly short words), and jqwik gives up on a property that rejects that much
        List<String> pieces = piecesOf(line);
        String piece = pieces.get(pick % pieces.size());
        String typed = upperCase ? piece.codePoints().map(Character::toUpperCase)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
                : piece;
        String query = "*" + typed + (trailingStar ? "*" : "");

        assertThat(search(query).items()).as(query).extracting(SearchHit::snippet).anySatisfy(s -> {
            assertThat(s.replace("[[", "").replace("]]", "")).isEqualTo(line);
            assertThat(s).contains("[[" + piece);
        });
    }

    /**
     * The pieces of {@code line} of 3 to 12 code points that hold no white space or quote (which end a word) and
     * neither start nor end with a star (the operator's).
     */
    private static List<String> piecesOf(String line) {
        int[] cps = line.codePoints().toArray();
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < cps.length; start++) {
            for (int length = 3; length <= 12 && start + length <= cps.length; length++) {
                String piece = new String(cps, start, length);
                if (piece.codePoints().noneMatch(cp -> Character.isWhitespace(cp) || cp == '"')
                        && !piece.startsWith("*") && !piece.endsWith("*")) {
                    pieces.add(piece);
                }
            }
        }
        return pieces;
    }

    @Provide
    Arbitrary<String> commandLines() {
        return Arbitraries.of("cat /etc/passwd", "rm -rf /tmp/build && echo \"done\" NOT NEAR(x) OR y:z",
                "grep -i 'ÜBER straße' café.txt | 日本語", "printf '%s_%d\\n' 50% C:\\temp\\x [a-z]* ОТЧЁТ.log");
    }

    @Property(tries = 200)
    void anyMadeUpCursorIsAnInvalidCursor(@ForAll @StringLength(max = 80) String cursor) {
        assertThatThrownBy(() -> store.sessions().list(SessionFilter.all(), cursor, 5))
                .isInstanceOf(StoreException.class).hasMessageContaining("invalid cursor");
        assertThatThrownBy(() -> store.sessions().search("passwd", SessionFilter.all(), cursor, 5))
                .isInstanceOf(StoreException.class).hasMessageContaining("invalid cursor");
    }

}
