package org.ttyaudit.core.screen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellContinuationTest {
    @ParameterizedTest(name = "[{0}] continues: {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            echo hello => false
            '' => false
            for i in 1 2; do => true
            for i in 1 2; do\\necho $i\\ndone => false
            for i in 1 2 => true
            while true; do sleep 1; done => false
            if true; then => true
            if true; then echo; fi => false
            case $x in => true
            case $x in a) echo a;; esac => false
            { echo a => true
            { echo a; } => false
            ( cd /tmp => true
            echo $(date => true
            echo $((1 + 2)) => false
            echo one \\ => true
            echo one \\\\ntwo => false
            echo 'it is => true
            echo 'it is' => false
            echo "a \\" b => true
            echo "a \\" b" => false
            echo `date => true
            echo $'a\\'b => true
            ls | => true
            ls | wc -l => false
            true && => true
            false || => true
            sleep 1 & => false
            echo done => false
            echo for => false
            echo if then fi => false
            true # for=> false
            echo a # if => false
            cat <<EOF => true
            cat <<EOF\\nhello => true
            cat <<EOF\\nhello\\nEOF => false
            cat <<'END'\\n$x\\nEND => false
            cat <<-EOF\\n\\thello\\n\\tEOF => false
            cat <<<here => false
            done => false
            fi; fi => false
            echo a) => false
            """)
    void decidesWhetherTheShellAsksForMore(String text, boolean incomplete) {
        String decoded = text.replace("\\n", "\n").replace("\\t", "\t");
        assertThat(ShellContinuation.isIncomplete(decoded)).isEqualTo(incomplete);
    }
}
