package org.ttyaudit.core.interop.audit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the audit log reader: whatever the lines, it reads them or throws its own {@link AuditLogException}
 * naming a line; and a string written as auditd writes it (quoted or hex) reads back as the same string.
 */
class AuditLogProperties {
    @Property(tries = 500)
    void arbitraryLinesReadOrFailWithTheParsersException(@ForAll("lines") List<String> lines) {
        String log = String.join("\n", lines);
        try {
            AuditActivities.of(AuditLogReader.read(new StringReader(log), "f.log"));
        } catch (AuditLogException e) {
            assertThat(e.getMessage()).startsWith("f.log: line ").doesNotContain("\n");
        } catch (IOException e) {
            throw new AssertionError("not the parser's exception", e);
        }
    }

    @Property(tries = 300)
    void encodedValuesReadBack(@ForAll("values") String value) throws IOException {
        assertThat(AuditValues.text(AuditValues.encode(value))).isEqualTo(value);
        String line = "type=EXECVE msg=audit(1700000000.001:5): argc=2 a0=" + AuditValues.encode(value)
                + " a1=" + AuditValues.encode(value + " x") + "\u001dARCH=x86_64";
        List<AuditEvent> events = AuditLogReader.read(new StringReader(line), "f.log");
        AuditActivity.Exec exec = (AuditActivity.Exec) AuditActivities.of(events).activities().get(0);
        assertThat(exec.argv()).containsExactly(value, value + " x");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("abz09 \"'\\=$;/é\u001d\t").withCharRange('\u00a0', '\u00ff')
                .ofMaxLength(20).filter(s -> !s.equals("(null)") && !s.equals("(none)") && !s.equals("?"));
    }

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(60);
        Arbitrary<String> pieces = Arbitraries.of("type=", "SYSCALL", "EXECVE", "PATH", "CWD", "USER_CMD", "EOE",
                " msg=audit(", "1700000000", ".123", ":", "42", "):", " ", "a0=", "argc=", "a1_len=", "a1[0]=",
                "\"", "'", "=", "msg='", "nametype=", "CREATE", "DELETE", "syscall=", "257", "87", "a2=", "241",
                "success=yes", "name=", "cwd=", "ses=", "ffffffffffffffffff", "41424344", "\u001d", "node=x ", "(null)",
                "items=2", "99999999999999999999");
        Arbitrary<String> structured = pieces.list().ofMaxSize(25).map(l -> String.join("", l));
        Arbitrary<String> plausible = pieces.list().ofMaxSize(20)
                .map(l -> "type=SYSCALL msg=audit(1700000000.123:42): " + String.join("", l));
        return Arbitraries.oneOf(junk, structured, plausible).list().ofMaxSize(8);
    }
}
