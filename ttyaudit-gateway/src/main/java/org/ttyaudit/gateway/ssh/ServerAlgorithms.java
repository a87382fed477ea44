package org.ttyaudit.gateway.ssh;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.compression.Compression;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.server.SshServer;

import java.util.List;

/**
 * The ciphers, MACs and compression the gateway offers users' clients (docs/GATEWAY.md, "Ciphers").
 *
 * <p><b>No chacha20-poly1305.</b> SSH takes the first algorithm of the <em>client's</em> list that the server
 * offers (RFC 4253, 7.1), and OpenSSH clients list chacha20-poly1305 first: offered anywhere in our list, it is what
 * every default OpenSSH client would use. MINA computes ChaCha20 and Poly1305 in plain Java, and relaying bulk
 * output the gateway spent three quarters of its CPU there (docs/PERFORMANCE.md, "SSH gateway"). AES-GCM and
 * AES-CTR run on the JDK's AES-NI, carry-less-multiply and SHA-NI intrinsics instead. Every OpenSSH since 6.2,
 * PuTTY, Dropbear and the Java clients speak AES-CTR, so no client loses the gateway by this; none gains security
 * from chacha20 over AES-GCM either.
 *
 * <p><b>MACs</b> (for AES-CTR; AES-GCM brings its own): SHA-2 only, encrypt-then-MAC first. OpenSSH clients pick
 * {@code hmac-sha2-256-etm@openssh.com} (their umac choices are not in MINA). The SHA-1 MACs are dropped: nothing
 * current needs them.
 *
 * <p><b>No compression</b>: it would cost the gateway CPU for every byte relayed (both ways: it must inflate what the
 * user sends and deflate what it relays back) to help only slow links; OpenSSH clients do not ask for it unless
 * told to ({@code -C}), and then settle for none.
 */
public final class ServerAlgorithms {
    /** In the order we prefer (it decides only for clients that leave the choice to the server's order). */
    public static final List<BuiltinCiphers> CIPHERS = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);
    public static final List<BuiltinMacs> MACS = List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm,
            BuiltinMacs.hmacsha256, BuiltinMacs.hmacsha512);

    private ServerAlgorithms() {
    }

    static void apply(SshServer server) {
        server.setCipherFactories(List.<NamedFactory<Cipher>>copyOf(CIPHERS));
        server.setMacFactories(List.<NamedFactory<Mac>>copyOf(MACS));
        server.setCompressionFactories(List.<NamedFactory<Compression>>of(BuiltinCompressions.none));
    }
}
