package org.ttyaudit.core.config;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YamlConfigTest {

    private static final String SAMPLE = """
            # comment
            name: rules
            enabled: yes
            limit: 1_000
            users: [root, admin]
            one: alice
            nested:
              severity: HIGH
            items:
              - a: 1
              - b: 2
            empty:
            """;

    @Test
    void readsValuesWithTheirLines() {
        ConfigNode root = YamlConfig.parse(SAMPLE, "x.yaml");
        assertThat(root.text("name")).isEqualTo("rules");
        assertThat(root.bool("enabled", false)).isTrue();
        assertThat(root.number("limit", 0, 0, 5000)).isEqualTo(1000);
        assertThat(root.texts("users")).containsExactly("root", "admin");
        assertThat(root.texts("one")).containsExactly("alice");
        assertThat(root.mapping("nested").choice("severity", "low", List.of("low", "high"))).isEqualTo("high");
        assertThat(root.list("items")).hasSize(2);
        assertThat(root.list("items").get(1).line()).isEqualTo(11);
        assertThat(root.get("empty")).isEmpty();
        assertThat(root.text("missing", "fallback")).isEqualTo("fallback");
        assertThat(root.mapping("absent").keys()).isEmpty();
    }

    @Test
    void errorsNameFileLineAndKey() {
        ConfigNode root = YamlConfig.parse(SAMPLE, "x.yaml");
        assertThatThrownBy(() -> root.mapping("nested").choice("severity", "low", List.of("low", "medium")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("x.yaml:8: severity: unknown value 'HIGH' (expected one of low, medium)");
        assertThatThrownBy(() -> root.allowOnly(Set.of("name")))
                .hasMessage("x.yaml:3: unknown key 'enabled' (expected name)");
        assertThatThrownBy(() -> root.number("limit", 0, 0, 10)).hasMessage("x.yaml:4: limit: 1000 is outside 0..10");
        assertThatThrownBy(() -> root.text("users")).hasMessageStartingWith("x.yaml:5: users: expected a single value");
        assertThatThrownBy(() -> root.text("absent")).hasMessage("x.yaml: missing 'absent'");
        assertThatThrownBy(() -> root.list("name")).hasMessage("x.yaml:2: name: expected a list");
    }

    @Test
    void syntaxErrorsAndDuplicateKeysAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> YamlConfig.parse("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("bad.yaml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> YamlConfig.parse("a: 1\nb: 2\na: 3\n", "dup.yaml"))
                .hasMessage("dup.yaml:3: duplicate key 'a' (first at line 1)");
        assertThatThrownBy(() -> YamlConfig.parse("- a\n- b\n", "list.yaml"))
                .hasMessageStartingWith("list.yaml:1: the top level must be a mapping");
        // Found by the property below: snakeyaml-engine throws IllegalArgumentException for a bad %-escape in a tag.
        assertThatThrownBy(() -> YamlConfig.parse("!aa%a", "tag.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("tag.yaml").hasMessageContaining("not valid YAML");
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder b = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 60; i++) {
            b.append("k").append(i).append(": &k").append(i).append(" [*a, *a]\n");
        }
        assertThatThrownBy(() -> YamlConfig.parse(b.toString(), "bomb.yaml")).isInstanceOf(ConfigException.class);
    }

    @Test
    void emptyFilesAreEmptyMappingsAndNonUtf8IsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(YamlConfig.parse("", "e.yaml").keys()).isEmpty();
        assertThat(YamlConfig.parse("# only a comment\n", "e.yaml").keys()).isEmpty();
        Path bad = dir.resolve("latin1.yaml");
        Files.write(bad, "a: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> YamlConfig.read(bad)).hasMessage(bad + ": the file is not UTF-8 text");
        assertThatThrownBy(() -> YamlConfig.read(dir.resolve("none.yaml"))).hasMessageContaining("cannot read the file");
    }

    @Property(tries = 2000)
    void anyTextGivesATreeOrAConfigException(@ForAll @StringLength(max = 200) String text) {
        try {
            YamlConfig.parse(text, "fuzz.yaml");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("fuzz.yaml");
        }
    }

    @Property(tries = 2000)
    void yamlLookingTextGivesATreeOrAConfigException(@ForAll("yamlish") String text) {
        try {
            ConfigNode root = YamlConfig.parse(text, "fuzz.yaml");
            for (String k : root.keys()) {
                root.get(k);
            }
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("fuzz.yaml");
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> yamlish() {
        return net.jqwik.api.Arbitraries.strings().withChars("ab:- \n[]{},&*!|>'\"#%@`?~").ofMaxLength(80);
    }
}
