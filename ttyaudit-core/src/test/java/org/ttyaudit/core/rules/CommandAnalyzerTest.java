package org.ttyaudit.core.rules;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.rules.FileTouch.Op;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class CommandAnalyzerTest {
    private final CommandAnalyzer alice = new CommandAnalyzer("alice");

    private List<String> programs(String line) {
        return alice.commandLine(line, "/home/alice/work").stream().map(ProgramRun::name).filter(n -> !n.isEmpty())
                .toList();
    }

    private List<FileTouch> files(String line) {
        return alice.commandLine(line, "/home/alice/work").stream().flatMap(r -> r.files().stream()).toList();
    }

    @Test
    void findsTheProgramsOfEverySimpleCommand() {
        assertThat(programs("cd /tmp && sudo -n true")).containsExactly("cd", "sudo", "true");
        assertThat(programs("ls | grep x; echo $(id -u)")).containsExactly("ls", "grep", "id", "echo");
        assertThat(programs("LANG=C FOO=bar /usr/bin/make -j4")).containsExactly("make");
        assertThat(programs("if true; then reboot; fi")).containsExactly("true", "reboot");
    }

    @Test
    void looksThroughWrappers() {
        assertThat(programs("sudo -u bob -E rm -rf /")).containsExactly("sudo", "rm");
        assertThat(programs("sudo -- VAR=1 apt update")).containsExactly("sudo", "apt");
        assertThat(programs("env -i PATH=/bin nohup nice -n 5 time -p timeout -s KILL 10 xargs -n1 rm"))
                .containsExactly("env", "nohup", "nice", "time", "timeout", "xargs", "rm");
        assertThat(programs("bash -c 'cd /tmp; sudo -n true'")).containsExactly("bash", "cd", "sudo", "true");
        assertThat(programs("sh -lc \"su -c 'insmod x.ko' root\"")).containsExactly("sh", "su", "insmod");
        assertThat(programs("find / -name x -exec rm {} \\;")).containsExactly("find", "rm");
        assertThat(programs("env -S 'sudo id' ")).containsExactly("env", "sudo", "id");
        assertThat(programs("env sort -S 1G f")).containsExactly("env", "sort");
        assertThat(programs("command exec doas pkexec --user root id")).containsExactly("command", "exec", "doas",
                "pkexec", "id");
    }

    @Test
    void wordsInsideStringsAreNotPrograms() {
        assertThat(programs("echo \"use sudo\" 'rm -rf /'")).containsExactly("echo");
        assertThat(programs("git commit -m 'sudo: fix'")).containsExactly("git");
    }

    @Test
    void execArgvIsOneCommandWithItsWrappedPrograms() {
        assertThat(alice.argv(List.of("/usr/bin/sudo", "-u", "root", "/bin/sh", "-c", "modprobe x"), "/")
                .stream().map(ProgramRun::name).toList()).containsExactly("sudo", "sh", "modprobe");
    }

    @Test
    void redirectionsAndTeeWrite() {
        assertThat(files("echo x >> /etc/passwd")).containsExactly(new FileTouch("/etc/passwd", Op.WRITE));
        assertThat(files("echo k | sudo tee -a ~/.ssh/authorized_keys /tmp/x")).containsExactly(
                new FileTouch("/home/alice/.ssh/authorized_keys", Op.WRITE), new FileTouch("/tmp/x", Op.WRITE));
        assertThat(files("sort < in.txt > ../out.txt")).containsExactly(new FileTouch("/home/alice/work/in.txt",
                Op.READ), new FileTouch("/home/alice/out.txt", Op.WRITE));
        assertThat(files("> ~/.bash_history")).containsExactly(new FileTouch("/home/alice/.bash_history", Op.WRITE));
    }

    @Test
    void editorsAndSpecialEditorsWrite() {
        assertThat(files("vim +10 /etc/ssh/sshd_config")).containsExactly(
                new FileTouch("/etc/ssh/sshd_config", Op.WRITE));
        assertThat(files("sudo visudo")).containsExactly(new FileTouch("/etc/sudoers", Op.WRITE));
        assertThat(files("vipw -s")).containsExactly(new FileTouch("/etc/shadow", Op.WRITE));
        assertThat(files("sed -i 's/a/b/' /etc/shadow")).containsExactly(new FileTouch("/etc/shadow", Op.WRITE));
        assertThat(files("sed 's/a/b/' /etc/shadow")).isEmpty();
        assertThat(files("sudo -e /etc/hosts")).containsExactly(new FileTouch("/etc/hosts", Op.WRITE));
        assertThat(files("sudo sed -e s/a/b/ /etc/hosts")).isEmpty();
        assertThat(files("crontab -e")).containsExactly(new FileTouch("/var/spool/cron/crontabs/alice", Op.WRITE));
    }

    @Test
    void copiesMovesAndLinksWriteTheirDestination() {
        assertThat(files("cp shadow.bak /etc/")).contains(new FileTouch("/etc/shadow.bak", Op.WRITE),
                new FileTouch("/home/alice/work/shadow.bak", Op.READ));
        assertThat(files("mv -f x /etc/passwd")).contains(new FileTouch("/etc/passwd", Op.WRITE),
                new FileTouch("/home/alice/work/x", Op.DELETE));
        assertThat(files("ln -sf /dev/null ~/.bash_history")).contains(
                new FileTouch("/home/alice/.bash_history", Op.WRITE));
        assertThat(files("install -m 600 k /root/.ssh/authorized_keys")).contains(
                new FileTouch("/root/.ssh/authorized_keys", Op.WRITE));
        assertThat(files("rsync -a host:/etc/ /backup/etc")).containsExactly(new FileTouch("/backup/etc", Op.WRITE),
                new FileTouch("/backup/etc/etc", Op.WRITE));
        assertThat(files("dd if=/dev/zero of=/dev/sda bs=1M")).containsExactly(new FileTouch("/dev/zero", Op.READ),
                new FileTouch("/dev/sda", Op.WRITE));
    }

    @Test
    void deletesPermissionsAndReads() {
        assertThat(files("rm -rf ./build /tmp/x")).containsExactly(new FileTouch("/home/alice/work/build", Op.DELETE),
                new FileTouch("/tmp/x", Op.DELETE));
        assertThat(files("chmod -R 777 /etc/")).containsExactly(new FileTouch("/etc", Op.WRITE));
        assertThat(files("chmod -x script")).containsExactly(new FileTouch("/home/alice/work/script", Op.WRITE));
        assertThat(files("chown -R root:root /usr/local")).containsExactly(new FileTouch("/usr/local", Op.WRITE));
        assertThat(files("tail -n 20 /var/log/syslog")).containsExactly(new FileTouch("/var/log/syslog", Op.READ));
        assertThat(files("truncate -s 0 ~bob/.bash_history")).containsExactly(
                new FileTouch("/home/bob/.bash_history", Op.WRITE));
        assertThat(files("rm $HOME/.bash_history ~root/x")).containsExactly(
                new FileTouch("/home/alice/.bash_history", Op.DELETE), new FileTouch("/root/x", Op.DELETE));
    }

    @Test
    void aCdEarlierOnTheLineMovesLaterRelativePaths() {
        assertThat(files("cd /etc && vi ../etc/./passwd && cd ssh; nano sshd_config")).containsExactly(
                new FileTouch("/etc/passwd", Op.WRITE), new FileTouch("/etc/ssh/sshd_config", Op.WRITE));
    }

    @Test
    void rootsHomeIsRoot() {
        assertThat(new CommandAnalyzer("root").commandLine("rm ~/.bash_history", null).get(0).files())
                .containsExactly(new FileTouch("/root/.bash_history", Op.DELETE));
    }

    @Property(tries = 2000)
    void neverThrowsOnAnyText(@ForAll String line) {
        alice.commandLine(line, "/x");
        alice.commandLine(line, null);
    }

    /**
     * A 10 MB line is read in about a second by linear code and in hours by quadratic code: a 30 s watchdog catches
     * that regression without flaking on a loaded machine as the former 1 s limit did.
     */
    @Test
    void aHugeLineIsCutAndReadFast() {
        String hostile = "sudo bash -c 'sudo bash -c \"".repeat(2000) + "x".repeat(10_000_000);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> alice.commandLine(hostile, "/"),
                "reading a huge line grows faster than linearly");
    }
}
