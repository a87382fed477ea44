package org.ttyaudit.gateway.ssh;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.compression.Compression;
import org.apache.sshd.common.kex.KexFactoryManager;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;

import java.util.List;

/**
 * The ciphers, MACs and compression of both of the gateway's SSH hops (docs/GATEWAY.md, "Ciphers"): what its server
 * offers users' clients, and what its client asks of targets. SSH takes the first algorithm of the <em>client's</em>
 * list that the server also offers (RFC 4253, 7.1), so towards users the users' clients choose (our order decides
 * nothing for OpenSSH), and towards targets the gateway's order below chooses.
 *
 * <p><b>Cost per byte</b> (docs/PERFORMANCE.md, "SSH gateway"; {@code SshCipherBenchmark}, MINA's own cipher
 * objects on JDK 17, 2 vCPU AMD EPYC with AES-NI, CLMUL, SHA-NI and AVX2 but no AVX-512, one core, core-seconds per
 * GB to check and decrypt / to encrypt and MAC 32 KiB packets): TODO
 *
 * <p><b>No chacha20-poly1305</b> on either hop: MINA computes ChaCha20 and Poly1305 in plain Java; relaying bulk
 * output, the gateway once spent three quarters of its CPU there. OpenSSH clients list it first, so offered anywhere
 * in the server's list, it is what every default OpenSSH client would use. Every OpenSSH since 6.2, PuTTY, Dropbear
 * and the Java clients speak AES-CTR and AES-GCM, so no client and no target loses the gateway by this, and
 * chacha20 brings no security over them. Never CBC, SHA-1, MD5 or "none".
 *
 * <p><b>MACs</b> (for AES-CTR; AES-GCM brings its own): SHA-2 only, encrypt-then-MAC first (the MAC is checked
 * before anything is decrypted). OpenSSH clients pick {@code hmac-sha2-256-etm@openssh.com}; their umac choices
 * are not in MINA.
 *
 * <p><b>No compression</b>: it would cost the gateway CPU for every byte relayed, in both directions, to help only
 * slow links; OpenSSH clients ask for it only when told to ({@code -C}), and then settle for none.
 */
public final class SshAlgorithms {
    /** Offered to users' clients. The order decides only for clients that leave the choice to the server. */
    public static final List<BuiltinCiphers> USER_CIPHERS = List.of(BuiltinCiphers.aes128gcm,
            BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);
    /** Asked of targets, cheapest first: this order decides what the target hop uses. */
    public static final List<BuiltinCiphers> TARGET_CIPHERS = List.of(BuiltinCiphers.aes128ctr,
            BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256ctr, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes192ctr);
    /** Both hops; for targets this order decides (SHA-256 is cheaper per byte than SHA-512 here). */
    public static final List<BuiltinMacs> MACS = List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm,
            BuiltinMacs.hmacsha256, BuiltinMacs.hmacsha512);

    private SshAlgorithms() {
    }

    /** The gateway's SSH server: what users' clients may choose from. */
    public static void offerToUsers(KexFactoryManager server) {
        apply(server, USER_CIPHERS);
    }

    /** The gateway's SSH client: what it asks of targets, in its order of preference. */
    public static void askOfTargets(KexFactoryManager client) {
        apply(client, TARGET_CIPHERS);
    }

    private static void apply(KexFactoryManager manager, List<BuiltinCiphers> ciphers) {
        manager.setCipherFactories(List.<NamedFactory<Cipher>>copyOf(ciphers));
        manager.setMacFactories(List.<NamedFactory<Mac>>copyOf(MACS));
        manager.setCompressionFactories(List.<NamedFactory<Compression>>of(BuiltinCompressions.none));
    }
}
