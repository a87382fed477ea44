package org.ttyaudit.server.store.jdbc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Snippets with substring marks: where they fall, how they join word marks, and the window around them. */
class SnippetsTest {
    private static final List<Snippets.Phrase> NO_WORDS = List.of();

    @Test
    void aSubstringIsMarkedWhereverItIsInAnyCase() {
        assertThat(Snippets.of("cat /ETC/shadow", NO_WORDS, List.of("etc/SHAD"))).isEqualTo("cat /[[ETC/shad]]ow");
        assertThat(Snippets.of("a-rf b-RF", NO_WORDS, List.of("-rf"))).isEqualTo("a[[-rf]] b[[-RF]]");
    }

    @Test
    void overlappingWordAndSubstringMarksBecomeOne() {
        Snippets.Phrase sudo = new Snippets.Phrase(List.of("sudo"), false);
        assertThat(Snippets.of("sudo cat", List.of(sudo), List.of("udo c"))).isEqualTo("[[sudo c]]at");
    }

    @Test
    void theWindowStartsAtAFarSubstringAndKeepsItsMarkWhole() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append("w").append(i).append(' ');
        }
        text.append("--force now");
        for (int i = 0; i < 30; i++) {
            text.append(" v").append(i);
        }

        String snippet = Snippets.of(text.toString(), NO_WORDS, List.of("--force"));

        assertThat(snippet).as("the mark begins before the window's first word").startsWith("…[[--force]] now v0")
                .endsWith("v21…");
    }

    @Test
    void textWithoutWordsStillShowsItsSubstringMarks() {
        assertThat(Snippets.of("|| && ;;", NO_WORDS, List.of("& ;"))).isEqualTo("|| &[[& ;]];");
    }

    @Test
    void nonBmpCharactersAreComparedAsCodePoints() {
        assertThat(Snippets.of("echo 😀😀😀!", NO_WORDS, List.of("😀😀😀"))).isEqualTo("echo [[😀😀😀]]!");
    }
}
