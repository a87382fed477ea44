package org.ttyaudit.core.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a settings file says, reading its capture section ends in policies or a ConfigException, nothing else. */
class CapturePoliciesProperties {

    @Property(tries = 2000)
    void anyTextGivesPoliciesOrAConfigException(@ForAll("captureSections") String yaml) {
        checkParses(yaml);
    }

    @Property(tries = 500)
    void arbitraryTextToo(@ForAll @StringLength(max = 300) String text) {
        checkParses("capture:\n  " + text.replace("\n", "\n  ") + "\n");
    }

    private static void checkParses(String yaml) {
        try {
            CapturePolicies p = CapturePolicies.parse(YamlConfig.parse(yaml, "p.yaml").mapping("capture"));
            CapturePolicy c = p.resolve("u", List.of("g"), "h");
            assertThat(CapturePolicy.fromJson(c.toJson())).isEqualTo(c);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("p.yaml");
        }
    }

    /** Sections built from the real keys and a mix of good and bad values. */
    @Provide
    Arbitrary<String> captureSections() {
        Arbitrary<String> value = Arbitraries.of("full", "output", "commands", "off", "0", "4MiB/s", "64MiB",
                "16KiB", "-1", "1TiB", "1025GiB", "drop", "sample", "[rsync, dd]", "[]", "{}", "[a, [b]]", "~",
                "'db-*'", "\"x y\"", "[/bin/x]", "99999999999999999999", "yes");
        Arbitrary<String> key = Arbitraries.of("mode", "output_rate", "output_burst", "programs", "keep_head",
                "then", "users", "groups", "hosts", "match", "policies", "default", "bulk", "other");
        Arbitrary<String> line = Arbitraries.integers().between(0, 3).flatMap(indent -> key.flatMap(k ->
                value.map(v -> "  ".repeat(indent) + (indent == 2 && k.equals("match") ? "- " : "") + k + ": " + v)));
        Arbitrary<String> nested = Arbitraries.of(
                "  policies:\n    - match: {users: [a]}\n      mode: commands\n",
                "  bulk:\n    programs: [dd]\n    keep_head: 1KiB\n",
                "  default: {mode: output}\n");
        return Arbitraries.oneOf(line.list().ofMaxSize(8).map(l -> String.join("\n", l)),
                nested.list().ofMaxSize(3).map(l -> String.join("", l)))
                .map(body -> "capture:\n" + body + "\n");
    }
}
