package org.ttyaudit.server.retention;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.server.store.PruneCandidate;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code retention} section: parsing, the compliance floor, and which policy decides a session's keep time. */
class RetentionSettingsTest {
    private static final String RULES = """
            retention:
              keep_days: 90
              minimum_keep_days: 30
              prune_every: 6h
              batch: 20
              rules:
                - name: ci
                  match: {hosts: ['ci-*']}
                  keep_days: 30
                - name: root
                  match: {users: [root]}
                  keep_days: 365
                - name: dba
                  match: {groups: [dba, 'db-*']}
                  keep_days: 180
                - name: pci
                  tags: ['env:pci', 'zone:a:1']
                  keep_days: forever
                - name: ci-root
                  match: {users: [root], hosts: ['ci-*']}
                  keep_days: 60
            """;
    private final RetentionSettings settings = RetentionFixture.settings(RULES);

    private static PruneCandidate session(String user, String host, Map<String, String> tags) {
        return new PruneCandidate(UUID.randomUUID(), user, host, tags, Instant.parse("2026-01-01T00:00:00Z"),
                true);
    }

    @Test
    void readsTheSchedule() {
        assertThat(settings.pruneEvery()).isEqualTo(Duration.ofHours(6));
        assertThat(settings.batch()).isEqualTo(20);
        assertThat(settings.minimumKeepDays()).isEqualTo(30);
        assertThat(settings.shortestKeepDays()).isEqualTo(30);
        assertThat(settings.prunes()).isTrue();
    }

    @Test
    void aSessionNoRuleMatchesGetsTheDefault() {
        assertThat(settings.keepFor(session("alice", "web-1", Map.of()))).isEqualTo(new Keep(90, "default"));
    }

    @Test
    void aMatchingRuleDecidesEvenWhenShorterThanTheDefault() {
        assertThat(settings.keepFor(session("alice", "ci-4", Map.of()))).isEqualTo(new Keep(30, "rule ci"));
    }

    @Test
    void amongMatchingRulesTheLongestKeepWins() {
        // ci (30), root (365) and ci-root (60) match: nothing is pruned earlier than any of them demands
        assertThat(settings.keepFor(session("root", "ci-4", Map.of()))).isEqualTo(new Keep(365, "rule root"));
    }

    @Test
    void groupsComeFromTheHeadersGroupsTagAndMatchByGlob() {
        assertThat(settings.keepFor(session("dora", "web-1", Map.of("groups", "staff,db-admins"))))
                .isEqualTo(new Keep(180, "rule dba"));
        assertThat(settings.keepFor(session("dora", "web-1", Map.of("groups", "staff"))).policy())
                .isEqualTo("default");
        assertThat(settings.keepFor(session("dora", "web-1", Map.of())).policy()).isEqualTo("default");
    }

    @Test
    void tagsMustAllBeThereWithExactlyTheirValues() {
        assertThat(settings.keepFor(session("x", "y", Map.of("env", "pci", "zone", "a:1"))))
                .isEqualTo(new Keep(Keep.FOREVER, "rule pci"));
        assertThat(settings.keepFor(session("x", "y", Map.of("env", "pci"))).policy()).isEqualTo("default");
        assertThat(settings.keepFor(session("x", "y", Map.of("env", "pci-test", "zone", "a:1"))).policy())
                .isEqualTo("default");
    }

    @Test
    void aSessionIsDueWhenItsKeepTimeHasPassedSinceItsEnd() {
        PruneCandidate s = session("alice", "web-1", Map.of());
        Instant end = s.agedFrom();
        assertThat(Pruner.isDue(end, new Keep(90, "default"), end.plus(Duration.ofDays(90)).minusSeconds(1))).isFalse();
        assertThat(Pruner.isDue(end, new Keep(90, "default"), end.plus(Duration.ofDays(90)))).isTrue();
        assertThat(Pruner.isDue(end, new Keep(Keep.FOREVER, "rule pci"), end.plus(Duration.ofDays(100_000))))
                .isFalse();
    }

    @Test
    void withoutTheSectionOrAKeepNothingIsPruned() {
        assertThat(RetentionFixture.settings("{}").prunes()).isFalse();
        assertThat(RetentionFixture.settings("retention: {keep_days: forever}").prunes()).isFalse();
        assertThat(RetentionSettings.none().keepFor(session("a", "b", Map.of())).forever()).isTrue();
    }

    @Test
    void aKeepBelowTheComplianceMinimumIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> RetentionFixture.settings("""
                retention:
                  keep_days: 400
                  minimum_keep_days: 365
                  rules:
                    - name: scratch
                      match: {hosts: ['tmp-*']}
                      keep_days: 7
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.yaml:7")
                .hasMessageContaining("keep_days of the rule 'scratch' is 7 days, below minimum_keep_days (365)");
        assertThatThrownBy(() -> RetentionFixture.settings("retention: {keep_days: 10, minimum_keep_days: 30}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the default keep_days is 10 days, below minimum_keep_days (30)");
    }

    @Test
    void mistakesAreNamedAtTheirLine() {
        assertThatThrownBy(() -> RetentionFixture.settings("retention: {keep: 3}"))
                .hasMessageContaining("unknown key 'keep'");
        assertThatThrownBy(() -> RetentionFixture.settings("""
                retention:
                  rules:
                    - name: a
                      keep_days: 40
                """)).hasMessageContaining("rule 'a': a rule needs users, groups, hosts or tags");
        assertThatThrownBy(() -> RetentionFixture.settings("""
                retention:
                  rules:
                    - name: a
                      match: {hosts: [x]}
                """)).hasMessageContaining("rule 'a': missing keep_days");
        assertThatThrownBy(() -> RetentionFixture.settings("""
                retention:
                  rules:
                    - {name: a, match: {hosts: [x]}, keep_days: 40}
                    - {name: a, match: {hosts: [y]}, keep_days: 40}
                """)).hasMessageContaining("the rule 'a' is given twice");
        assertThatThrownBy(() -> RetentionFixture.settings("""
                retention:
                  rules:
                    - {name: a, tags: [env], keep_days: 40}
                """)).hasMessageContaining("tags: expected NAME:VALUE");
        assertThatThrownBy(() -> RetentionFixture.settings("retention: {prune_every: 5s}"))
                .hasMessageContaining("prune_every: 5s is outside 10s..");
        assertThatThrownBy(() -> RetentionFixture.settings("retention: {keep_days: soon}"))
                .hasMessageContaining("keep_days: expected a whole number");
    }
}
