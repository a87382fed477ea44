package org.ttyaudit.server.store.jdbc;

import org.junit.jupiter.api.Test;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.jdbc.SearchTerms.Kind;
import org.ttyaudit.server.store.jdbc.SearchTerms.Term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The query language's terms: words, phrases, prefixes and substrings, and what is left out or refused. */
class SearchTermsTest {

    @Test
    void wordsPhrasesPrefixesAndSubstringsAreTermsOfTheirKind() {
        assertThat(SearchTerms.parse("sudo \"cat /etc\" kube* *etc/shad* *-rf")).containsExactly(
                new Term("sudo", Kind.WORDS), new Term("cat /etc", Kind.WORDS), new Term("kube", Kind.PREFIX),
                new Term("etc/shad", Kind.SUBSTRING), new Term("-rf", Kind.SUBSTRING));
    }

    @Test
    void aSubstringKeepsItsPunctuationAndInnerStarsLiterally() {
        assertThat(SearchTerms.parse("**a*b%_\\c**")).containsExactly(new Term("a*b%_\\c", Kind.SUBSTRING));
        assertThat(SearchTerms.parse("*---*")).as("no letter needed: the characters are what it looks for")
                .containsExactly(new Term("---", Kind.SUBSTRING));
    }

    @Test
    void starsInsideAPhraseAreNotOperators() {
        assertThat(SearchTerms.parse("\"*etc/shad*\"")).containsExactly(new Term("*etc/shad*", Kind.WORDS));
    }

    @Test
    void aLoneStarIsLeftOutLikeOtherPunctuation() {
        assertThat(SearchTerms.parse("* ** passwd")).containsExactly(new Term("passwd", Kind.WORDS));
        assertThatThrownBy(() -> SearchTerms.parse("* **")).isInstanceOf(StoreException.class)
                .hasMessageContaining("no word");
    }

    @Test
    void aSubstringShorterThanThreeCodePointsIsRefusedSayingWhy() {
        assertThatThrownBy(() -> SearchTerms.parse("git *rf*")).isInstanceOf(StoreException.class)
                .hasMessage("the search query's substring term *rf* is shorter than 3 characters (substring terms,"
                        + " *text*, search command lines for at least 3 characters)");
        assertThatThrownBy(() -> SearchTerms.parse("*😀😀*")).as("two code points, four chars")
                .isInstanceOf(StoreException.class).hasMessageContaining("shorter than 3");
        assertThat(SearchTerms.parse("*😀😀😀*")).extracting(Term::kind).containsExactly(Kind.SUBSTRING);
    }

    @Test
    void anUnpairedSurrogateInASubstringBecomesTheReplacementCharacter() {
        assertThat(SearchTerms.parse("*ab\ud800*")).containsExactly(new Term("ab\uFFFD", Kind.SUBSTRING));
    }

    @Test
    void controlCharactersAndQuotesEndASubstring() {
        assertThat(SearchTerms.parse("*abc\u0000def*")).containsExactly(new Term("abc", Kind.SUBSTRING),
                new Term("def", Kind.PREFIX));
        assertThat(SearchTerms.parse("*abc\"d e\"")).containsExactly(new Term("abc", Kind.SUBSTRING),
                new Term("d e", Kind.WORDS));
    }
}
