package org.ttyaudit.gateway.relay;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TargetConnectorTest {
    @Test
    void prefersAesGcmAndKeepsTheOrderOfTheRest() {
        List<NamedFactory<Cipher>> defaults = List.of(BuiltinCiphers.cc20p1305_openssh, BuiltinCiphers.aes128ctr,
                BuiltinCiphers.aes256ctr, BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm);

        assertThat(TargetConnector.gcmFirst(defaults)).extracting(NamedResource::getName).containsExactly(
                "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com", "aes128-ctr",
                "aes256-ctr");
    }
}
