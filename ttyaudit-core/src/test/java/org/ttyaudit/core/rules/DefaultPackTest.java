package org.ttyaudit.core.rules;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.MarkerEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of the default pack, with command lines that must fire it and look-alikes that must not. */
class DefaultPackTest {
    static final SessionFacts ALICE = new SessionFacts("recorder", "alice", List.of("staff"), "web-1", "10.1.2.3",
            Instant.parse("2026-12-01T10:00:00Z"));

    /** rule → (lines that fire it, lines that do not). */
    static final Map<String, List<List<String>>> EXAMPLES = Map.ofEntries(
            Map.entry("sudo-use", List.of(
                    List.of("sudo -n true", "cd /tmp && sudo -n true", "su -", "doas id", "pkexec bash",
                            "/usr/bin/sudo ls", "FOO=1 sudo -u bob vim x", "bash -c 'sudo reboot'",
                            "sudoedit /etc/hosts"),
                    List.of("echo \"use sudo\"", "man sudo", "grep sudo /var/log/auth.log", "git log --author=su",
                            "# sudo in a comment", "echo sudo; ls"))),
            Map.entry("auth-file-modified", List.of(
                    List.of("echo 'x:x:0:0::/:/bin/sh' >> /etc/passwd", "sudo vipw", "sudo visudo",
                            "vi /etc/sudoers.d/90-users", "sed -i s/a/b/ /etc/shadow", "cp /tmp/p /etc/passwd",
                            "echo ok | sudo tee -a /etc/sudoers", "cd /etc && nano group"),
                    List.of("cat /etc/passwd", "grep alice /etc/shadow", "vi /etc/passwd.txt.bak2/x",
                            "cp /etc/passwd /tmp/p", "less /etc/sudoers"))),
            Map.entry("ssh-access-modified", List.of(
                    List.of("echo ssh-ed25519 AAA >> ~/.ssh/authorized_keys", "vim /etc/ssh/sshd_config",
                            "cat key.pub >> /root/.ssh/authorized_keys", "ln -sf /tmp/k ~bob/.ssh/authorized_keys"),
                    List.of("cat ~/.ssh/authorized_keys", "ssh-keygen -t ed25519", "vim /etc/ssh/ssh_config"))),
            Map.entry("system-binary-changed", List.of(
                    List.of("cp ./ls /bin/ls", "sudo mv /tmp/x /usr/sbin/sshd", "rm /lib/x86_64-linux-gnu/libz.so.1",
                            "vi /boot/grub/grub.cfg", "echo x > /usr/lib64/libfoo.so"),
                    List.of("ls /usr/bin", "cp /usr/bin/ls /tmp/ls", "cp tool /usr/local/bin/tool",
                            "cat /boot/config", "vi /usr/share/doc/x"))),
            Map.entry("recursive-delete-of-system-path", List.of(
                    List.of("rm -rf /", "sudo rm -rf /*", "rm -fr /etc", "rm -r --no-preserve-root /",
                            "rm --recursive /usr", "rm -Rf /home", "cd / && rm -rf usr", "rm -rf /lib64",
                            "rm -rf /var/", "rm -rf /usr/lib", "rm -rf /etc/*"),
                    List.of("rm -rf ./build", "rm -rf /tmp/x", "rm /etc/motd", "rm -rf /var/tmp/foo",
                            "rm -f /etc", "rm -rf ~/project", "echo rm -rf /", "rm -rf /home/alice/tmp"))),
            Map.entry("world-writable-system-path", List.of(
                    List.of("chmod 777 /etc/shadow", "chmod -R 777 /", "sudo chmod a+rwx /usr/local/bin",
                            "chmod o+w /etc"),
                    List.of("chmod 777 ./build", "chmod 755 /usr/local/bin", "chmod -R 777 /tmp/x",
                            "chmod +x /usr/local/bin/tool"))),
            Map.entry("ownership-change-of-system-path", List.of(
                    List.of("chown -R alice /etc", "sudo chown alice:alice /usr/bin/passwd", "chgrp staff /root"),
                    List.of("chown alice ./file", "chown -R alice /home/alice/project"))),
            Map.entry("download-piped-to-shell", List.of(
                    List.of("curl -fsSL https://get.example.com | sh", "wget -O- https://x/i.sh | bash",
                            "curl -s https://x | sudo bash -s -- --yes", "bash <(curl -s https://x)",
                            "sh -c \"$(curl -fsSL https://x/install.sh)\"", "curl https://x | python3",
                            "source <(curl -s https://x)", "wget -qO- https://x | /bin/sh"),
                    List.of("curl -o install.sh https://x", "curl https://api/x | jq .", "wget https://x/f.tgz",
                            "curl https://x; sh local.sh", "cat install.sh | sh"))),
            Map.entry("history-cleared", List.of(
                    List.of("history -c", "history -cw", "rm ~/.bash_history", "ln -sf /dev/null ~/.bash_history",
                            "> ~/.bash_history", "cat /dev/null > ~/.zsh_history", "shred -u $HOME/.bash_history",
                            "truncate -s0 ~/.bash_history"),
                    List.of("history", "history 20", "cat ~/.bash_history", "grep ssh ~/.bash_history",
                            "echo history -c"))),
            Map.entry("history-disabled", List.of(
                    List.of("unset HISTFILE", "export HISTFILE=/dev/null", "HISTFILE= bash", "export HISTSIZE=0",
                            "HISTFILESIZE=0", "set +o history", "unset -v HISTSIZE"),
                    List.of("echo $HISTFILE", "export HISTSIZE=10000", "HISTFILE=~/.hist2", "set -o history",
                            "unset FOO"))),
            Map.entry("shell-hooks-removed", List.of(
                    List.of("unset PROMPT_COMMAND", "trap - DEBUG", "trap '' DEBUG", "unset -f _ta_preexec",
                            "precmd_functions=()", "preexec_functions=(mine)", "add-zsh-hook -d precmd _ta_precmd",
                            "functions -e _ta_preexec", "unfunction _ta_precmd", "_ta_armed=0"),
                    List.of("trap -p DEBUG", "trap 'rm -f $t' EXIT", "echo $PROMPT_COMMAND",
                            "precmd_functions+=(mine)", "export data_ta=1", "unset OLDPWD"))),
            Map.entry("user-account-changed", List.of(
                    List.of("useradd -m eve", "sudo usermod -aG sudo eve", "userdel -r eve", "adduser bob",
                            "groupadd ops", "echo 'eve:pw' | chpasswd"),
                    List.of("id eve", "getent passwd eve", "echo useradd"))),
            Map.entry("password-of-other-user", List.of(
                    List.of("passwd bob", "sudo passwd -l bob", "passwd -d eve"),
                    List.of("passwd", "passwd -S", "echo passwd bob"))),
            Map.entry("crontab-changed", List.of(
                    List.of("crontab -e", "crontab -u bob -e", "crontab -r", "crontab jobs.txt",
                            "echo '* * * * * x' >> /etc/crontab", "vi /etc/cron.d/backup"),
                    List.of("crontab -l", "cat /etc/crontab"))),
            Map.entry("firewall-flushed", List.of(
                    List.of("iptables -F", "sudo iptables -t nat -F", "ip6tables --flush INPUT",
                            "nft flush ruleset", "ufw disable", "iptables-legacy -F"),
                    List.of("iptables -L -n", "nft list ruleset", "ufw status", "iptables -A INPUT -j DROP"))),
            Map.entry("selinux-disabled", List.of(
                    List.of("setenforce 0", "sudo setenforce Permissive"),
                    List.of("setenforce 1", "getenforce", "sestatus"))),
            Map.entry("kernel-module-change", List.of(
                    List.of("insmod rootkit.ko", "sudo modprobe -r usb_storage", "rmmod x", "modprobe vfat"),
                    List.of("lsmod", "modinfo vfat"))));

    /**
     * rule → (file events that fire it, look-alikes that do not), each written {@code OPERATION PATH [-> TARGET]};
     * the session is a gateway session whose target user is bob (relative paths are under /home/bob).
     */
    static final Map<String, List<List<String>>> FILE_EXAMPLES = Map.of(
            "auth-file-modified", List.of(
                    List.of("write /etc/sudoers", "write /etc/sudoers.d/90-eve", "remove /etc/shadow",
                            "rename /tmp/p -> /etc/passwd", "rename /etc/passwd -> /etc/passwd.old",
                            "setstat /etc/shadow", "symlink /etc/sudoers.d/x -> /tmp/evil",
                            "write /etc/./sudoers", "write ../../etc/group"),
                    List.of("read /etc/shadow", "read /etc/sudoers", "write /etc/passwd.txt/x",
                            "rename /etc/passwd.txt -> /tmp/y", "write etc/passwd")),
            "ssh-access-modified", List.of(
                    List.of("write .ssh/authorized_keys", "write /root/.ssh/authorized_keys",
                            "rename .ssh/k.tmp -> .ssh/authorized_keys", "write /etc/ssh/sshd_config"),
                    List.of("read .ssh/authorized_keys", "write .ssh/known_hosts", "mkdir .ssh")),
            "history-cleared", List.of(
                    List.of("remove .bash_history", "write /home/bob/.zsh_history"),
                    List.of("read .bash_history")),
            "crontab-changed", List.of(
                    List.of("write /etc/cron.d/backdoor", "write /var/spool/cron/crontabs/root"),
                    List.of("read /etc/crontab")),
            "system-binary-changed", List.of(
                    List.of("write /usr/bin/ls", "rename /tmp/sshd -> /usr/sbin/sshd", "remove /bin/su",
                            "write /lib/x86_64-linux-gnu/security/pam_unix.so", "mkdir /boot/evil"),
                    List.of("read /usr/bin/ls", "write /usr/local/bin/tool", "write bin/ls")));

    static final SessionFacts BOB_VIA_GATEWAY = new SessionFacts("gateway", "alice", List.of(), "db-1",
            "10.1.2.3", Instant.parse("2026-12-01T10:00:00Z"), "bob");

    /** {@code OPERATION PATH [-> TARGET]} as a file event of an SFTP transfer. */
    static FileEvent fileEvent(long at, String text) {
        String[] words = text.split(" ");
        boolean transfer = words[0].equals("read") || words[0].equals("write");
        return new FileEvent(at, words[0], words[1], words.length > 3 ? words[3] : null, transfer ? 42L : null,
                null, "sftp");
    }

    static Set<String> firedByFileEvent(String text) {
        SessionRules rules = RuleSet.defaultPack().forSession(BOB_VIA_GATEWAY);
        return rules.evaluate(fileEvent(5, text)).stream().map(m -> m.rule().name()).collect(Collectors.toSet());
    }

    @TestFactory
    Stream<DynamicTest> fileRulesFireOnFileEventsOfTheirPathsAndNotOnLookAlikes() {
        return examples(FILE_EXAMPLES, "the file event: ", DefaultPackTest::firedByFileEvent);
    }

    static Set<String> firedBy(String line) {
        SessionRules rules = RuleSet.defaultPack().forSession(ALICE);
        return rules.evaluate(new CommandStartEvent(5, 1, line, "/home/alice", CommandSource.SHELL_INTEGRATION))
                .stream().map(m -> m.rule().name()).collect(Collectors.toSet());
    }

    @TestFactory
    Stream<DynamicTest> eachRuleFiresOnItsExamplesAndNotOnLookAlikes() {
        return examples(EXAMPLES, "", DefaultPackTest::firedBy);
    }

    /** A test per example of {@code table}: {@code fired} of it holds the rule (the first list) or not (the second). */
    private static Stream<DynamicTest> examples(Map<String, List<List<String>>> table, String what,
                                                Function<String, Set<String>> fired) {
        List<DynamicTest> tests = new ArrayList<>();
        table.forEach((rule, examples) -> {
            for (String example : examples.get(0)) {
                tests.add(DynamicTest.dynamicTest(rule + " fires on: " + what + example,
                        () -> assertThat(fired.apply(example)).as(example).contains(rule)));
            }
            for (String example : examples.get(1)) {
                tests.add(DynamicTest.dynamicTest(rule + " ignores: " + what + example,
                        () -> assertThat(fired.apply(example)).as(example).doesNotContain(rule)));
            }
        });
        return tests.stream();
    }

    @Test
    void everyDefaultRuleHasExamplesADescriptionAndOnlyAlerts() {
        List<Rule> pack = RuleSet.defaultPack().rules();
        Set<String> withoutExamples = pack.stream().map(Rule::name)
                .filter(n -> !EXAMPLES.containsKey(n) && !n.equals("shell-hooks-lost")).collect(Collectors.toSet());
        assertThat(withoutExamples).isEmpty();
        for (Rule r : pack) {
            assertThat(r.description()).as(r.name()).hasSizeGreaterThan(20);
            assertThat(r.actions()).as(r.name()).containsExactly(new RuleAction.Alert());
        }
        assertThat(RuleSet.defaultPack().notifyTargets()).isEmpty();
    }

    @Test
    void recorderMarkersOfLostOrForgedIntegrationFire() {
        SessionRules rules = RuleSet.defaultPack().forSession(ALICE);
        assertThat(rules.evaluate(new MarkerEvent(10, "integration-lost", "no prompt for 30 s")))
                .extracting(m -> m.rule().name(), RuleMatch::trigger, RuleMatch::matched)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shell-hooks-lost", "marker",
                        "integration-lost: no prompt for 30 s"));
        assertThat(rules.evaluate(new MarkerEvent(20, "bad-nonce", ""))).hasSize(1);
        assertThat(rules.evaluate(new MarkerEvent(30, "integration-started", ""))).isEmpty();
    }

    @Test
    void execEventsOfScriptsFireProgramRules() {
        SessionRules rules = RuleSet.defaultPack().forSession(ALICE);
        List<RuleMatch> m = rules.evaluate(new ExecEvent(10, 300, 200, List.of("/sbin/modprobe", "vfat"), "/"));
        assertThat(m).extracting(x -> x.rule().name()).containsExactly("kernel-module-change");
        assertThat(m.get(0).trigger()).isEqualTo("exec");
        assertThat(m.get(0).matched()).isEqualTo("/sbin/modprobe vfat");
        assertThat(m.get(0).commandId()).isNull();
    }

    @Test
    void fileMatchesNameThePath() {
        SessionRules rules = RuleSet.defaultPack().forSession(ALICE);
        RuleMatch m = rules.evaluate(new CommandStartEvent(5, 1, "echo x >> /etc/passwd", "/",
                CommandSource.SHELL_INTEGRATION)).get(0);
        assertThat(m.rule().name()).isEqualTo("auth-file-modified");
        assertThat(m.trigger()).isEqualTo("file");
        assertThat(m.matched()).isEqualTo("/etc/passwd");
        assertThat(m.commandId()).isEqualTo(1L);
    }
}
