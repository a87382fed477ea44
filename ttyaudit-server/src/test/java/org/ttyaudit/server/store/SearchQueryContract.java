package org.ttyaudit.server.store;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

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
                    TestData.command(id, 2, "grep -i 'ÜBER straße' café.txt | 日本語", 3_000_000)));
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
            assertThat(search(query).items()).as(query).isNotNull();
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
        assertThat(search(before + " " + word + " " + after).items()).isNotNull();
    }

    @Property(tries = 300)
    void aWordIsFoundWhateverPunctuationSurroundsIt(@ForAll("punctuation") String before,
                                                    @ForAll("punctuation") String after) {
        String query = before + "passwd" + after;

        assertThat(search(query).items()).as(query).extracting(SearchHit::snippet)
                .contains("cat /etc/[[passwd]]");
    }

    @Provide
    Arbitrary<String> punctuation() {
        return Arbitraries.strings().withChars("-/:.,;()[]{}<>!?@#$%^&+=|\\'`~*\"_ ").ofMaxLength(6);
    }

    @Property(tries = 200)
    void anyMadeUpCursorIsAnInvalidCursor(@ForAll @StringLength(max = 80) String cursor) {
        assertThatThrownBy(() -> store.sessions().list(SessionFilter.all(), cursor, 5))
                .isInstanceOf(StoreException.class).hasMessageContaining("invalid cursor");
        assertThatThrownBy(() -> store.sessions().search("passwd", SessionFilter.all(), cursor, 5))
                .isInstanceOf(StoreException.class).hasMessageContaining("invalid cursor");
    }

}
