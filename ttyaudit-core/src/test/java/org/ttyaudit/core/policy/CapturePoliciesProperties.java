package org.ttyaudit.core.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
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
            assertThat(CapturePolicies.fromJson(p.toJson())).isEqualTo(p);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("p.yaml");
        }
    }

    /**
     * What a gateway reads from a server: the JSON form of real policies with one value replaced by another kind of
     * value or removed gives the same policies or an IllegalArgumentException, never another exception.
     */
    @Property(tries = 1000)
    void damagedJsonGivesPoliciesOrAnIllegalArgument(@ForAll("damagedJson") JsonNode json) {
        try {
            CapturePolicies.fromJson(json);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<JsonNode> damagedJson() {
        ObjectNode whole = CapturePolicies.parse(YamlConfig.parse("""
                capture:
                  default: {mode: output, output_rate: 1MiB/s}
                  policies:
                    - match: {users: [a, 'b*'], hosts: ['db-?']}
                      mode: commands
                    - match: {groups: [ops]}
                      output_rate: off
                  bulk: {programs: [dd, scp], keep_head: 1KiB, then: sample}
                """, "p.yaml").mapping("capture")).toJson();
        List<JsonNode> replacements = List.of(NullNode.instance, TextNode.valueOf("x"), IntNode.valueOf(-1),
                JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode(), BooleanNode.TRUE,
                LongNode.valueOf(Long.MAX_VALUE), TextNode.valueOf(""));
        return Arbitraries.integers().between(0, 200).flatMap(at -> Arbitraries.of(replacements).map(with -> {
            ObjectNode copy = whole.deepCopy();
            replaceNth(copy, new int[]{at}, with);
            return copy;
        }));
    }

    /** Replaces the n-th value of a depth-first walk ({@code with} a missing node: removes it). */
    private static boolean replaceNth(JsonNode node, int[] n, JsonNode with) {
        if (node instanceof ObjectNode o) {
            for (String field : fieldNames(o)) {
                if (n[0]-- == 0) {
                    o.set(field, with);
                    return true;
                }
                if (replaceNth(o.get(field), n, with)) {
                    return true;
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (n[0]-- == 0) {
                    a.set(i, with);
                    return true;
                }
                if (replaceNth(a.get(i), n, with)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> fieldNames(ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
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
