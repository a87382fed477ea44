package org.ttyaudit.recorder.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellIntegrationTest {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "bash | bash", "-bash | bash", "/usr/bin/bash -l | bash", "bash --login -i | bash", "bash -i --login | none",
            "bash --norc -o vi | bash", "zsh | zsh", "-zsh | zsh", "/bin/zsh -il | zsh", "fish | fish",
            "fish -l | fish",
            "bash -c ls | none", "bash script.sh | none", "bash -s | none", "bash --rcfile x | none",
            "bash -r | none", "bash -- x | none", "zsh -c ls | none", "zsh -f | none", "zsh script | none",
            "fish -c ls | none", "fish x.fish | none", "sh | none", "dash | none", "bashful | none"})
    void detectsInteractiveShellsByBasenameOnly(String argv, String expected) {
        Optional<ShellIntegration> found = ShellIntegration.detect(List.of(argv.split(" ")));
        assertThat(found.map(ShellIntegration::name).orElse(null)).isEqualTo(expected);
    }

    @Test
    void detectsNothingForEmptyOrNullArgv() {
        assertThat(ShellIntegration.detect(List.of())).isEmpty();
        assertThat(ShellIntegration.detect(null)).isEmpty();
    }

    @Test
    void bashStartsWithOurRcfileAndKeepsTheNonceOutOfTheEnvironment() throws Exception {
        String nonce = ShellIntegration.newNonce();
        Path rt = work.resolve("rt");
        LaunchSpec spec = ShellIntegration.detect(List.of("-bash", "-o", "vi")).orElseThrow()
                .prepare(List.of("-bash", "-o", "vi"), Map.of("HOME", "/h"), nonce, false, rt);
        assertThat(spec.argv()).containsExactly("bash", "--rcfile", rt.resolve("bashrc").toString(), "-o", "vi", "-i");
        assertThat(spec.env()).isEqualTo(Map.of("HOME", "/h"));
        String rc = Files.readString(rt.resolve("bashrc"));
        assertThat(rc).contains("_ta_nonce='" + nonce + "'", "_ta_login=1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rt))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rt.resolve("bashrc"))))
                .isEqualTo("rw-------");
    }

    @Test
    void zshPointsZdotdirAtOurFilesAndRemembersTheUsersOne() throws Exception {
        Path rt = work.resolve("rt");
        LaunchSpec spec = ShellIntegration.detect(List.of("zsh")).orElseThrow()
                .prepare(List.of("zsh"), Map.of("ZDOTDIR", "/it's/mine"), ShellIntegration.newNonce(), true, rt);
        assertThat(spec.argv()).containsExactly("zsh", "-i", "-l");
        assertThat(spec.env()).containsEntry("ZDOTDIR", rt.resolve("zsh").toString());
        assertThat(Files.readString(rt.resolve("zsh/.zshenv"))).contains("_ta_uz='/it'\\''s/mine'", "_ta_uz_set=1");
        assertThat(rt.resolve("zsh")).isDirectoryContaining(p -> p.getFileName().toString().equals(".zlogin"));
    }

    @Test
    void refusesMalformedNoncesAndUnsupportedArgv() {
        ShellIntegration bash = ShellIntegration.detect(List.of("bash")).orElseThrow();
        assertThatThrownBy(() -> bash.prepare(List.of("bash"), Map.of(), "short", false, work))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nonce must be 16 to 128 ASCII letters and digits");
        assertThatThrownBy(() -> bash.prepare(List.of("bash", "-c", "ls"), Map.of(), "a".repeat(32), false, work))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot integrate with bash started as [bash, -c, ls]");
    }

    @Test
    void newNoncesAreValidAndDiffer() {
        String a = ShellIntegration.newNonce();
        assertThat(a).matches(ShellIntegration.NONCE).isNotEqualTo(ShellIntegration.newNonce());
    }
}
