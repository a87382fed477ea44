package org.ttyaudit.server.store.jdbc;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.ttyaudit.server.store.StoreException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a user types, {@link SearchTerms#parse} answers with terms that every engine can render safely, or a
 * {@link StoreException}; never another exception.
 */
class SearchTermsProperties {

    @Property(tries = 2000)
    void anyTextIsSafeTermsOrAStoreException(@ForAll @StringLength(max = 80) String query) {
        assertSafe(query);
    }

    /** Random text rarely holds stars, quotes and control characters together; this does, often. */
    @Property(tries = 2000)
    void textOfTheCharactersThatMatterIsSafeTermsOrAStoreException(@ForAll("tricky") String query) {
        assertSafe(query);
    }

    @Provide
    Arbitrary<String> tricky() {
        return Arbitraries.strings().withChars("\"**\u0000\u001b\t -/%_\\ab9日\ud800\udc00é")
                .ofMaxLength(24);
    }

    private static void assertSafe(String query) {
        List<SearchTerms.Term> terms;
        try {
            terms = SearchTerms.parse(query);
        } catch (StoreException e) {
            assertThat(e.getMessage()).startsWith("the search query");
            return;
        }
        assertThat(terms).isNotEmpty().hasSizeLessThanOrEqualTo(SearchTerms.MAX_TERMS);
        for (SearchTerms.Term t : terms) {
            assertThat(t.text()).as(query).doesNotContain("\"");
            assertThat(t.text().codePoints()).as(query).noneMatch(Character::isISOControl);
            if (t.substring()) {
                assertThat(t.text().codePointCount(0, t.text().length())).as(query)
                        .isGreaterThanOrEqualTo(SearchTerms.MIN_SUBSTRING);
                assertThat(t.text().codePoints()).as(query)
                        .noneMatch(cp -> Character.getType(cp) == Character.SURROGATE || Character.isWhitespace(cp));
                assertThat(t.text()).as(query).doesNotStartWith("*").doesNotEndWith("*");
            } else {
                assertThat(t.text().codePoints()).as(query).anyMatch(SearchTerms::isWordCharacter);
            }
        }
    }
}
