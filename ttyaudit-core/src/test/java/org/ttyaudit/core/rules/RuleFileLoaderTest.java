package org.ttyaudit.core.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ttyaudit.core.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleFileLoaderTest {
    private static final String GOOD = """
            disable: [sudo-use]
            rules:
              - name: prod-db-shell
                description: Someone opened a database shell on a production host
                severity: high
                match:
                  program: [psql, mysql]
                  host: ['db-*']
                actions: [alert, {notify: [ops-webhook, siem]}, {terminate: "Database shells are not allowed here"}]
              - name: quiet
                severity: info
                match: {marker: integration-started}
            """;

    @Test
    void readsRulesAfterTheEnabledDefaultPack(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("rules.yaml"), GOOD);
        RuleSet set = RuleSet.load(file, true);
        List<String> names = set.rules().stream().map(Rule::name).toList();
        assertThat(names).doesNotContain("sudo-use").contains("history-cleared").endsWith("prod-db-shell", "quiet");
        Rule r = set.rules().get(set.rules().size() - 2);
        assertThat(r.severity()).isEqualTo(Severity.HIGH);
        assertThat(r.actions()).containsExactly(new RuleAction.Alert(), new RuleAction.Notify(List.of("ops-webhook",
                "siem")), new RuleAction.Terminate("Database shells are not allowed here"));
        assertThat(r.terminates()).isTrue();
        assertThat(set.rules().get(set.rules().size() - 1).actions()).containsExactly(new RuleAction.Alert());
        assertThat(set.notifyTargets()).isEqualTo(Set.of("ops-webhook", "siem"));
        assertThat(RuleSet.load(file, false).rules()).extracting(Rule::name).containsExactly("prod-db-shell", "quiet");
        assertThat(RuleSet.parse("default_pack: false\n", "x", true).rules()).isEmpty();
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', textBlock = """
            rules: [{name: a, severity: high, match: {command: 'x(', program: y}}]       | 1 | command: bad regex 'x(': Unclosed group
            'rules:\\n  - name: a\\n    severity: hi\\n    match: {program: x}'           | 3 | severity: unknown severity 'hi'
            'rules:\\n  - name: a\\n    severity: low\\n    match: {progam: x}'          | 4 | unknown key 'progam'
            'rules:\\n  - name: a\\n    severity: low\\n    match: {host: ''db-[1''}'    | 4 | host: bad pattern 'db-[1'
            'rules:\\n  - name: a\\n    severity: low\\n    match:\\n      client: 10.0.0.0/33' | 5 | client: '10.0.0.0/33': the prefix length must be 0..32
            'rules:\\n  - name: a\\n    severity: low\\n    match:\\n      client: 300.1.1.1' | 5 | client: '300.1.1.1' is not an IP address
            'rules:\\n  - name: a\\n    severity: low\\n    match:\\n      time: {from: 25:00, to: 06:00}' | 5 | from: '25:00' is not a time of day
            'rules:\\n  - name: a\\n    severity: low\\n    match:\\n      time: {from: 22:00}' | 5 | time: give both from and to
            'rules:\\n  - name: a\\n    severity: low\\n    match:\\n      time: {days: [sat, sunday, fri2]}' | 5 | days: unknown day 'fri2'
            'rules:\\n  - name: a\\n    severity: low\\n    match:\\n      time: {days: [sat], zone: Mars/Base}' | 5 | zone: unknown time zone 'Mars/Base'
            'rules:\\n  - name: a\\n    severity: low\\n    match: {program: x}\\n  - name: a\\n    severity: low\\n    match: {program: y}' | 5 | duplicate rule name 'a' (first at line 2)
            'rules:\\n  - name: sudo-use\\n    severity: low\\n    match: {program: x}' | 2 | duplicate rule name 'sudo-use' (a default rule has it
            'rules:\\n  - name: Bad_Name\\n    severity: low\\n    match: {program: x}' | 2 | name: 'Bad_Name' must be 1-64 of a-z
            'rules:\\n  - name: a\\n    severity: low\\n    match: {output: x, program: y}' | 4 | a match block checks one kind of event
            'rules:\\n  - name: a\\n    severity: low\\n    match: {}'                    | 4 | match: no conditions
            'rules:\\n  - name: a\\n    severity: low'                                  | 2 | missing 'match'
            'rules:\\n  - name: a\\n    severity: low\\n    match: {program: x}\\n    actions: [page]' | 5 | actions: unknown action 'page'
            'rules:\\n  - name: a\\n    severity: low\\n    match: {program: x}\\n    actions: [notify]' | 5 | actions: notify needs targets
            'rules:\\n  - name: a\\n    severity: low\\n    match: {program: x}\\n    actions: [{terminate: ""}]' | 5 | terminate: the message must have 1 to 500 characters
            'rules:\\n  - name: a\\n    severity: low\\n    match: {file: {path: etc/passwd}}' | 4 | file: bad path pattern: 'etc/passwd' is not an absolute path
            'rules:\\n  - name: a\\n    severity: low\\n    match: {file: {path: /x, op: change}}' | 4 | op: unknown value 'change'
            'disable: [sudo-usr]'                                                        | 1 | disable: there is no default rule 'sudo-usr'
            'disable: sudo-usr'                                                          | 1 | disable: there is no default rule 'sudo-usr'
            'rule: []'                                                                    | 1 | unknown key 'rule'
            """)
    void everyMistakeNamesFileLineAndReason(String yaml, int line, String reason) {
        String text = yaml.replace("\\n", "\n");
        assertThatThrownBy(() -> RuleSet.parse(text, "rules.yaml", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.source()).isEqualTo("rules.yaml");
                    assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.getMessage()).startsWith("rules.yaml:" + line + ": ");
                });
    }

    @Test
    void anUnreadableFileIsAConfigError(@TempDir Path dir) {
        assertThatThrownBy(() -> RuleSet.load(dir.resolve("missing.yaml"), true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.yaml: cannot read the file");
    }

    @Test
    void severityNamesRoundTrip() {
        for (Severity s : Severity.values()) {
            assertThat(Severity.parse(s.jsonName().toUpperCase())).isEqualTo(s);
        }
        assertThat(Severity.CRITICAL.compareTo(Severity.LOW)).isPositive();
        assertThatThrownBy(() -> Severity.parse("urgent")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofRefusesDuplicateNames() {
        Rule r = RuleSet.defaultPack().rules().get(0);
        assertThatThrownBy(() -> RuleSet.of(List.of(r, r))).isInstanceOf(IllegalArgumentException.class);
        assertThat(RuleSet.of(List.of(r)).rules()).containsExactly(r);
    }
}
