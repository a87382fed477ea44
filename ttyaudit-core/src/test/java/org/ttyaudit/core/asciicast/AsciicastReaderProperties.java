package org.ttyaudit.core.asciicast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzing: whatever the input, the reader either reads it or says what is wrong; it never fails otherwise. */
class AsciicastReaderProperties {
    private static final String VALID = """
            {"version": 2, "width": 80, "height": 24, "timestamp": 1, "env": {"TERM": "xterm"}}
            [0.5, "o", "hello \\u001b[0m"]
            [1.0, "r", "100x30"]
            [2.25, "m", "label"]
            [3e0, "x", "0"]
            """;

    @Provide
    Arbitrary<String> mutatedCasts() {
        Arbitrary<String> snippet = Arbitraries.of("{", "}", "[", "]", ",", "\"", ":", "\n", "#", "-", "1e999", "e",
                "0.", "null", "true", "3e-99999999999999999999", "1e99999999999999999999", "\\u", "\\", "\"version\": 3", "\"term\":", "x", "99999999999999999999", " ");
        return Mutations.of(VALID, snippet, 0);
    }

    @Property(tries = 3000)
    void mutatedFilesAreReadOrRejectedWithALineNumber(@ForAll("mutatedCasts") String cast) {
        assertReadOrNamedError(cast);
    }

    @Property(tries = 1000)
    void arbitraryTextIsReadOrRejectedWithALineNumber(@ForAll String text) {
        assertReadOrNamedError(text);
    }

    @Property(tries = 1000)
    void arbitraryBytesAreReadOrRejectedWithALineNumber(@ForAll byte[] bytes) {
        try (AsciicastReader r = AsciicastReader.open(new ByteArrayInputStream(bytes))) {
            while (r.next() != null) {
                // drain
            }
        } catch (AsciicastFormatException e) {
            assertThat(e.getMessage()).matches("line [0-9]+: [^\\n]+");
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    private static void assertReadOrNamedError(String cast) {
        try {
            CastFile file = AsciicastReader.readAll(new StringReader(cast));
            assertThat(file.events()).isSortedAccordingTo(
                    (a, b) -> Long.compare(a.timeMicros(), b.timeMicros()));
        } catch (AsciicastFormatException e) {
            assertThat(e.getMessage()).matches("line [0-9]+: [^\\n]+");
            assertThat(e.lineNumber()).isBetween(1L, (long) cast.split("\n", -1).length);
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e + " for " + List.of(cast), e);
        }
    }
}
