package org.ttyaudit.core.rules;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.rules.ShellSyntax.Redirect;
import org.ttyaudit.core.rules.ShellSyntax.SimpleCommand;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ShellSyntaxTest {

    private static List<List<String>> words(String line) {
        return ShellSyntax.parse(line).stream().map(SimpleCommand::words).toList();
    }

    @Test
    void splitsAtEveryControlOperator() {
        assertThat(words("a 1 | b 2 || c && d; e & f\ng |& h"))
                .containsExactly(List.of("a", "1"), List.of("b", "2"), List.of("c"), List.of("d"), List.of("e"),
                        List.of("f"), List.of("g"), List.of("h"));
    }

    @Test
    void removesQuotesAndEscapesAsTheShellDoes() {
        assertThat(words("echo 'a b' \"c \\\"d\\\" $x\" e\\ f $'g\\nh' 'it'\\''s'"))
                .containsExactly(List.of("echo", "a b", "c \"d\" $x", "e f", "g\nh", "it's"));
    }

    @Test
    void quotedOperatorsAreText() {
        assertThat(words("echo \"use sudo; rm -rf /\" 'a|b'")).containsExactly(List.of("echo", "use sudo; rm -rf /",
                "a|b"));
    }

    @Test
    void substitutionsAndSubshellsAreCommandsOfTheirOwn() {
        assertThat(words("echo $(id -u) `whoami` \"$(date +%s)\"; (cd /tmp && ls); { pwd; }"))
                .containsExactly(List.of("id", "-u"), List.of("whoami"), List.of("date", "+%s"),
                        List.of("echo", "$(…)", "$(…)", "$(…)"), List.of("cd", "/tmp"), List.of("ls"),
                        List.of("{", "pwd"), List.of("}"));
        assertThat(words("bash <(curl -s https://x)")).containsExactly(List.of("curl", "-s", "https://x"),
                List.of("bash", "$(…)"));
        assertThat(words("echo $((1 + 2)) ${HOME:-/x}")).containsExactly(List.of("echo", "$((1 + 2))", "${HOME:-/x}"));
    }

    @Test
    void readsRedirectionsWithTheirTargets() {
        List<SimpleCommand> c = ShellSyntax.parse("echo x >> /etc/passwd 2>/dev/null >|a &>b 2>&1 <in >&c cmd");
        assertThat(c).hasSize(1);
        assertThat(c.get(0).words()).containsExactly("echo", "x", "cmd");
        assertThat(c.get(0).redirects()).containsExactly(new Redirect(">>", "/etc/passwd"),
                new Redirect(">", "/dev/null"), new Redirect(">|", "a"), new Redirect("&>", "b"),
                new Redirect("<", "in"), new Redirect(">&", "c"));
    }

    @Test
    void skipsHereDocumentBodiesAndComments() {
        assertThat(words("cat <<EOF > f\nsudo rm -rf /\nEOF\nls # sudo here\necho done"))
                .containsExactly(List.of("cat"), List.of("ls"), List.of("echo", "done"));
    }

    @Test
    void functionDefinitionsAndArrayAssignmentsAreNotPrograms() {
        assertThat(words("f() { sudo true; }")).containsExactly(List.of("{", "sudo", "true"), List.of("}"));
        assertThat(words("precmd_functions=() x=(a b) ls")).containsExactly(List.of("precmd_functions=()", "x=(a b)",
                "ls"));
    }

    @Property(tries = 3000)
    void neverThrowsOnAnyInput(@ForAll("shellish") String line) {
        ShellSyntax.parse(line);
    }

    /**
     * Catches super-linear parsing by size, not by a tight time limit (that flaked on a loaded machine): at 1 MiB a
     * unit, linear parsing takes milliseconds and quadratic parsing hours, so a 30 s watchdog separates them on any
     * machine. The constant factor is the benchmarks' business.
     */
    @Test
    void hostileInputIsReadInLinearTime() {
        for (String unit : List.of("$(", "`", "\"$(", "(", "<(", "${", "$((", "'", "\\", "<<E\n", "a|", "x=(")) {
            String hostile = unit.repeat((1 << 20) / unit.length());
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ShellSyntax.parse(hostile),
                    () -> "parsing " + unit + " repeated grows faster than linearly");
        }
    }

    @Provide
    Arbitrary<String> shellish() {
        return Arbitraries.strings().withChars("ab $(){}`'\"\\|&;<>\n#=-~/*").ofMaxLength(80)
                .injectDuplicates(0.1);
    }
}
