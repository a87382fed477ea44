package org.ttyaudit.gateway.access;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.core.policy.CaptureMode;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.gateway.testkit.Keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PublicKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalAccessSourceTest {
    private static final ConfigNode ROOT = YamlConfig.parse("""
            gateway:
              targets:
                web1: {address: 127.0.0.1, port: 2222}
              groups:
                ops: [alice]
              rules:
                - groups: [ops]
                  targets: [web1]
            capture:
              policies:
                - match: {hosts: [web1], groups: [ops]}
                  mode: output
            """, "gateway.yaml");
    private static final ConfigNode SECTION = ROOT.mapping("gateway");
    private static final ConfigNode CAPTURE = ROOT.mapping("capture");
    private static final ConfigNode NO_CAPTURE = YamlConfig.parse("gateway: {}\n", "gateway.yaml").mapping("capture");

    @TempDir
    Path dir;
    Path keysDir;
    String ed25519;
    String rsa;
    LocalAccessSource source;

    @BeforeEach
    void setUp() throws Exception {
        keysDir = Files.createDirectories(dir.resolve("keys"));
        ed25519 = Keys.publicLine(Keys.generate(dir.resolve("id_ed25519"), "ed25519"));
        rsa = Keys.publicLine(Keys.generate(dir.resolve("id_rsa"), "rsa"));
        source = new LocalAccessSource(SECTION, CAPTURE, keysDir + "/%u");
    }

    private static boolean same(List<PublicKey> keys, String line) throws Exception {
        PublicKey expected = PublicKeys.of(org.ttyaudit.core.gateway.SshPublicKey.parse(line));
        return keys.stream().anyMatch(k -> KeyUtils.compareKeys(k, expected));
    }

    @Test
    void theCaptureSectionGivesThePoliciesAndWithoutOneTheBuiltInApplies() throws Exception {
        PolicyAccess access = new PolicyAccess(source);
        assertThat(access.capturePolicy("alice", "web1").mode()).isEqualTo(CaptureMode.OUTPUT);
        assertThat(access.capturePolicy("alice", "web1").source()).isEqualTo("gateway.yaml:11");
        assertThat(access.capturePolicy("bob", "web1")).isEqualTo(CapturePolicies.BUILT_IN);

        LocalAccessSource without = new LocalAccessSource(SECTION, NO_CAPTURE, keysDir + "/%u");
        assertThat(new PolicyAccess(without).capturePolicy("alice", "web1")).isEqualTo(CapturePolicies.BUILT_IN);
        assertThatThrownBy(() -> new LocalAccessSource(SECTION, YamlConfig.parse("capture:\n  default: {mode: all}\n",
                "gateway.yaml").mapping("capture"), keysDir + "/%u")).hasMessageContaining("gateway.yaml:2");
    }

    @Test
    void aUsersFileGivesTheirKeysAndSkipsWhatIsNoKey() throws Exception {
        Files.writeString(keysDir.resolve("alice"), "# alice's laptop\n\n" + ed25519 + "\n"
                + "no-pty " + rsa + "\nnot a key at all\n");

        List<PublicKey> keys = source.keysOf("alice");

        assertThat(keys).hasSize(1);
        assertThat(same(keys, ed25519)).isTrue();
        assertThat(same(keys, rsa)).as("the line with options").isFalse();
    }

    @Test
    void theFileIsReadAgainWhenItChangesAndAMissingFileMeansNoKeys() throws Exception {
        Path file = keysDir.resolve("alice");
        Files.writeString(file, ed25519 + "\n");
        assertThat(source.keysOf("alice")).hasSize(1);

        Files.writeString(file, ed25519 + "\n" + rsa + "\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
        assertThat(source.keysOf("alice")).hasSize(2);
        assertThat(same(source.keysOf("alice"), rsa)).isTrue();

        Files.delete(file);
        assertThat(source.keysOf("alice")).isEmpty();
        assertThat(source.keysOf("bob")).isEmpty();
    }

    @Test
    void namesThatWouldLeaveTheDirectoryAreRefusedBeforeTheyReachThePath() throws Exception {
        Files.writeString(dir.resolve("secret"), ed25519 + "\n");
        Files.writeString(keysDir.resolve(".hidden"), ed25519 + "\n");

        for (String name : new String[]{"../secret", "..", ".", ".hidden", "a/b", "", "x\u0000y"}) {
            assertThat(source.keysOf(name)).as(name).isEmpty();
        }
        assertThat(source.keysOf(null)).isEmpty();
    }

    @Test
    void aPatternWithoutTheUserIsRefused() {
        assertThatThrownBy(() -> new LocalAccessSource(SECTION, CAPTURE, keysDir + "/authorized_keys"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("%u");
    }

    @Test
    void policyAndGroupsComeFromTheSection() {
        assertThat(source.groupsOf("alice")).containsExactly("ops");
        assertThat(source.policy().decide("alice", source.groupsOf("alice"), "web1", null).allowed()).isTrue();
        assertThat(source.policy().decide("bob", source.groupsOf("bob"), "web1", null).allowed()).isFalse();
    }
}
