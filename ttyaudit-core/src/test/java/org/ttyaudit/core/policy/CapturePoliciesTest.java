package org.ttyaudit.core.policy;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapturePoliciesTest {
    private static final String EXAMPLE = """
            capture:
              default: {mode: full, output_rate: 4MiB/s, output_burst: 64MiB}
              policies:
                - match: {users: [backup], groups: [dba], hosts: ['db-*']}
                  mode: commands
                - match: {groups: [dev, 'ops-*']}
                  mode: output
                  output_rate: 1MiB/s
                - match: {hosts: ['lab-?']}
                  output_rate: off
                - match: {users: [root]}
                  mode: commands
              bulk:
                programs: [rsync, scp, sftp, tar, dd, pv, zcat]
                keep_head: 16KiB
                then: sample
            """;

    static CapturePolicies parse(String yaml) {
        return CapturePolicies.parse(YamlConfig.parse(yaml, "server.yaml").mapping("capture"));
    }

    @Test
    void firstMatchWinsThenTheDefault() {
        CapturePolicies p = parse(EXAMPLE);
        // root matches the last policy too, but is also in dev: the earlier one wins
        assertThat(p.resolve("root", List.of("root", "dev"), "web-1").mode()).isEqualTo(CaptureMode.OUTPUT);
        assertThat(p.resolve("root", List.of("root"), "web-1").mode()).isEqualTo(CaptureMode.COMMANDS);
        assertThat(p.resolve("alice", List.of("alice"), "web-1")).satisfies(d -> {
            assertThat(d.mode()).isEqualTo(CaptureMode.FULL);
            assertThat(d.source()).isEqualTo("server.yaml:2");
        });
    }

    @Test
    void everyCriterionOfAMatchMustHoldAndAnyPatternOfOne() {
        CapturePolicies p = parse(EXAMPLE);
        assertThat(p.resolve("backup", List.of("dba"), "db-7").mode()).isEqualTo(CaptureMode.COMMANDS);
        assertThat(p.resolve("backup", List.of("dba"), "web-7").mode()).isEqualTo(CaptureMode.FULL);
        assertThat(p.resolve("backup", List.of("staff"), "db-7").mode()).isEqualTo(CaptureMode.FULL);
        assertThat(p.resolve("carol", List.of("dba"), "db-7").mode()).isEqualTo(CaptureMode.FULL);
        assertThat(p.resolve("carol", List.of("staff", "ops-eu"), "x").mode()).isEqualTo(CaptureMode.OUTPUT);
        assertThat(p.resolve("carol", List.of(), "x").mode()).isEqualTo(CaptureMode.FULL);
    }

    @Test
    void aPolicyInheritsWhatItLeavesOutFromTheDefault() {
        CapturePolicies p = parse(EXAMPLE);
        CapturePolicy dev = p.resolve("a", List.of("dev"), "h");
        assertThat(dev.outputRate()).isEqualTo(new OutputRate(1 << 20, 64 << 20));
        assertThat(dev.source()).isEqualTo("server.yaml:6");
        CapturePolicy lab = p.resolve("a", List.of(), "lab-1");
        assertThat(lab.mode()).isEqualTo(CaptureMode.FULL);
        assertThat(lab.outputRate()).isNull();
        assertThat(p.resolve("a", List.of(), "lab-10").outputRate()).isEqualTo(new OutputRate(4 << 20, 64 << 20));
        assertThat(dev.bulk()).isEqualTo(new BulkRule(Set.of("rsync", "scp", "sftp", "tar", "dd", "pv", "zcat"),
                16 * 1024, BulkRule.Then.SAMPLE));
    }

    @Test
    void withoutASectionTheBuiltInDefaultAppliesToEveryone() {
        CapturePolicies p = parse("rules: {}\n");
        assertThat(p.resolve("anyone", List.of("wheel"), "any")).isEqualTo(CapturePolicies.BUILT_IN);
        assertThat(CapturePolicies.BUILT_IN.outputRate()).isEqualTo(new OutputRate(4L << 20, 64L << 20));
        assertThat(CapturePolicies.BUILT_IN.bulk()).isNull();
        assertThat(CapturePolicies.builtIn().resolve("x", List.of(), "y")).isEqualTo(CapturePolicies.BUILT_IN);
    }

    @Test
    void theJsonFormRoundTrips() {
        CapturePolicies p = parse(EXAMPLE);
        for (CapturePolicy c : List.of(p.resolve("a", List.of("dev"), "h"), p.resolve("a", List.of(), "lab-1"),
                p.fallback(), CapturePolicy.only(CaptureMode.COMMANDS, "x"))) {
            assertThat(CapturePolicy.fromJson(c.toJson())).isEqualTo(c);
        }
        assertThat(p.fallback().toJson().toString()).isEqualTo("{\"mode\":\"full\",\"output_rate\":4194304,"
                + "\"output_burst\":67108864,\"bulk\":{\"programs\":[\"dd\",\"pv\",\"rsync\",\"scp\",\"sftp\",\"tar\","
                + "\"zcat\"],\"keep_head\":16384,\"then\":\"sample\"},\"source\":\"server.yaml:2\"}");
    }

    @Test
    void theWholeSectionRoundTripsThroughJsonAndResolvesAlike() {
        CapturePolicies p = parse(EXAMPLE);
        CapturePolicies back = CapturePolicies.fromJson(p.toJson());
        assertThat(back).isEqualTo(p);
        CapturePolicy backup = back.resolve("backup", List.of("dba"), "db-1");
        assertThat(backup).isEqualTo(p.resolve("backup", List.of("dba"), "db-1"));
        assertThat(backup.mode()).isEqualTo(CaptureMode.COMMANDS);
        assertThat(CapturePolicies.fromJson(CapturePolicies.builtIn().toJson())).isEqualTo(CapturePolicies.builtIn());
        assertThat(p.toJson().get("policies").get(0).get("match").toString())
                .isEqualTo("{\"users\":[\"backup\"],\"groups\":[\"dba\"],\"hosts\":[\"db-*\"]}");
    }

    @Test
    void jsonThatIsNotPoliciesIsRefusedWithWhatIsWrong() {
        com.fasterxml.jackson.databind.node.ObjectNode n = parse(EXAMPLE).toJson();
        n.withArray("policies").addObject().put("match", "everyone");
        assertThatThrownBy(() -> CapturePolicies.fromJson(n)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policies[4].match must be an object");
        com.fasterxml.jackson.databind.node.ObjectNode m = parse(EXAMPLE).toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("policies").get(1).get("match")).put("groups", 3);
        assertThatThrownBy(() -> CapturePolicies.fromJson(m)).hasMessage("policies[1].match.groups must be an array"
                + " of strings");
        assertThatThrownBy(() -> CapturePolicies.fromJson(null)).hasMessage("capture policies must be a JSON object");
        com.fasterxml.jackson.databind.node.ObjectNode noDefault = parse(EXAMPLE).toJson();
        noDefault.remove("default");
        assertThatThrownBy(() -> CapturePolicies.fromJson(noDefault)).hasMessage("a capture policy must be a JSON"
                + " object");
    }

    @Test
    void mistakesNameFileLineAndReason() {
        assertError("capture:\n  default: {mode: everything}\n",
                "server.yaml:2: mode: unknown capture mode 'everything' (expected full, output or commands)");
        assertError("capture:\n  policies:\n    - match: {users: [a]}\n      mode: full\n      speed: 3\n",
                "server.yaml:5: unknown key 'speed' (expected match, mode, output_burst, output_rate)");
        assertError("capture:\n  policies:\n    - mode: commands\n", "server.yaml:3: missing 'match'");
        assertError("capture:\n  policies:\n    - match: {}\n      mode: commands\n",
                "server.yaml:3: a match needs users, groups or hosts (use 'default' for everyone)");
        assertError("capture:\n  default:\n    output_rate: fast\n",
                "server.yaml:3: output_rate: 'fast' is not a rate (expected e.g. 4MiB/s)");
        assertError("capture:\n  bulk:\n    programs: [rsync]\n    then: shred\n",
                "server.yaml:4: then: unknown value 'shred' (expected drop or sample)");
        assertError("capture:\n  bulk:\n    keep_head: 1KiB\n",
                "server.yaml:2: bulk: programs is missing or empty (name the programs whose output is cut)");
        assertError("capture:\n  bulk:\n    programs: [/usr/bin/rsync]\n",
                "server.yaml:3: '/usr/bin/rsync' is not a program name (the name only: no path, no spaces)");
        assertError("capture:\n  default: {output_rate: off, output_burst: 1MiB}\n",
                "server.yaml:2: output_burst: there is no burst without an output_rate");
        assertError("capture: [a]\n", "server.yaml:1: expected a mapping (key: value lines), not a list");
    }

    private static void assertError(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void sizesAndRates() {
        assertThat(ByteSize.parse("16KiB")).isEqualTo(16384);
        assertThat(ByteSize.parse("4 MiB")).isEqualTo(4L << 20);
        assertThat(ByteSize.parse("1g")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("1_000")).isEqualTo(1000);
        assertThat(ByteSize.parseRate("4MiB/s")).isEqualTo(4L << 20);
        assertThat(ByteSize.format(16384)).isEqualTo("16KiB");
        assertThat(ByteSize.format(1000)).isEqualTo("1000");
        assertThatThrownBy(() -> ByteSize.parse("2TiB")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> ByteSize.parse("2048GiB")).hasMessage("'2048GiB' is larger than 1TiB");
        assertThatThrownBy(() -> ByteSize.parse("-1")).hasMessageContaining("not a size");
    }

    @Test
    void globs() {
        assertThat(PolicyMatch.glob("db-*", "db-1")).isTrue();
        assertThat(PolicyMatch.glob("db-*", "db-")).isTrue();
        assertThat(PolicyMatch.glob("db-*", "web-db-1")).isFalse();
        assertThat(PolicyMatch.glob("*-prod", "eu-web-prod")).isTrue();
        assertThat(PolicyMatch.glob("a?c", "abc")).isTrue();
        assertThat(PolicyMatch.glob("a?c", "ac")).isFalse();
        assertThat(PolicyMatch.glob("*a*b*", "xxaxxbxx")).isTrue();
        assertThat(PolicyMatch.glob("Root", "root")).isFalse();
        assertThat(PolicyMatch.glob("a.c", "abc")).as("no regex").isFalse();
    }

    @Test
    void aBulkRuleMatchesTheKernelsTruncatedName() {
        BulkRule rule = new BulkRule(Set.of("rsync", "really-long-program-name"), 0, BulkRule.Then.DROP);
        assertThat(rule.covers("rsync")).isTrue();
        assertThat(rule.covers("really-long-pro")).isTrue();
        assertThat(rule.covers("rsync2")).isFalse();
        assertThat(rule.covers("")).isFalse();
    }
}
