package org.ttyaudit.core.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskConfigTest {
    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        Path f = dir.resolve("mask.json");
        Files.writeString(f, json, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void addsCustomRulesToTheDefaultsAndDisablesNamedOnes() throws IOException {
        SecretMasker masker = SecretMasker.load(file("""
                {
                  // comments are allowed
                  "disable": ["jwt"],
                  "rules": [
                    {"name": "corp-token", "regex": "corp_(?<secret>[A-Za-z0-9]{8})", "max_reach": 20}
                  ]
                }"""));
        assertThat(masker.rules()).extracting(MaskRule::name).contains("corp-token", "github-token")
                .doesNotContain("jwt");
        assertThat(masker.mask("id corp_ABCD1234 PASSWORD=x"))
                .isEqualTo("id corp_[MASKED:corp-token] PASSWORD=[MASKED:secret-assignment]");
        assertThat(masker.rules()).filteredOn(r -> r.name().equals("corp-token"))
                .extracting(MaskRule::maxReach).containsExactly(20);
    }

    @Test
    void defaultsCanBeTurnedOffEntirely() throws IOException {
        SecretMasker masker = SecretMasker.load(file("""
                {"defaults": false, "rules": [{"name": "pin", "regex": "PIN [0-9]{4}"}]}"""));
        assertThat(masker.rules()).extracting(MaskRule::name).containsExactly("pin");
        assertThat(masker.mask("PIN 1234 PASSWORD=x")).isEqualTo("[MASKED:pin] PASSWORD=x");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        {"rules": [{"name": "bad", "regex": "ab(c"}]}              | rules[0] "bad": bad regex: Unclosed group near index 4
        {"rules": [{"name": "empty", "regex": "x*"}]}              | rules[0] "empty": bad regex: it matches the empty string
        {"rules": [{"name": "a b", "regex": "x"}]}                 | rules[0] "a b": bad name
        {"rules": [{"regex": "x"}]}                                | rules[0]: "name" is missing or not a string
        {"rules": [{"name": "n"}]}                                 | rules[0] "n": "regex" is missing or not a string
        {"rules": [{"name": "n", "regex": "x", "reach": 3}]}       | rules[0]: unknown key "reach"
        {"rules": [{"name": "n", "regex": "x", "max_reach": 0}]}   | rules[0] "n": "max_reach" must be a positive integer
        {"rules": [{"name": "jwt", "regex": "x"}]}                 | rules[0] "jwt": name already used by a default rule
        {"rules": [{"name": "a", "regex": "x"}, {"name": "a", "regex": "y"}]} | rules[1] "a": name already used by another rule
        {"disable": ["nope"]}                                      | disable[0]: "nope" is not a default rule
        {"defaults": false, "disable": ["jwt"]}                    | disable[0]: "jwt": nothing to disable
        {"defaults": "yes"}                                        | "defaults" must be true or false
        {"rule": []}                                               | unknown key "rule"
        [1, 2]                                                     | expected a JSON object
        {"rules": [ }                                              | not valid JSON at line 1, column 13: Unexpected close marker
        """)
    void badConfigurationIsReportedWithFileEntryAndReason(String json, String expected) throws IOException {
        Path f = file(json);
        assertThatThrownBy(() -> SecretMasker.load(f))
                .isInstanceOf(MaskConfigException.class)
                .hasMessageStartingWith(f + ": ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void missingFileIsAnIoError() {
        assertThatThrownBy(() -> SecretMasker.load(dir.resolve("absent.json")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
