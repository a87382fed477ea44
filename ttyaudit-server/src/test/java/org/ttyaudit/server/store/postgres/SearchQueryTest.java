package org.ttyaudit.server.store.postgres;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The LIKE patterns of substring terms: the user's text, literally, anywhere. */
class SearchQueryTest {

    @Test
    void wildcardsAndTheEscapeCharacterAreEscaped() {
        assertThat(SearchQuery.containsPattern("100%_\\x")).isEqualTo("%100\\%\\_\\\\x%");
    }

    @Test
    void aQueryOfSubstringsOnlyHasNoTsquery() {
        SearchQuery q = SearchQuery.of("*etc/shad* *-rf*");
        assertThat(q.hasWords()).isFalse();
        assertThat(q.patterns()).containsExactly("%etc/shad%", "%-rf%");
        assertThat(SearchQuery.of("sudo *etc/shad*").tsquery()).isEqualTo("'sudo'");
    }

    /** Read as LIKE reads it, the pattern is: any text, then exactly the user's text, then any text. */
    @Property(tries = 1000)
    void thePatternMatchesTheTextLiterallyBetweenTwoWildcards(@ForAll @StringLength(max = 40) String text) {
        String p = SearchQuery.containsPattern(text);
        assertThat(p).startsWith("%").endsWith("%");
        StringBuilder literal = new StringBuilder();
        for (int i = 1; i < p.length() - 1; i++) {
            char ch = p.charAt(i);
            if (ch == '\\') {
                literal.append(p.charAt(++i));   // an escape is always followed by what it escapes
            } else {
                assertThat(ch).as(p).isNotIn('%', '_');
                literal.append(ch);
            }
        }
        assertThat(literal.toString()).isEqualTo(text);
    }
}
