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
 * <p><b>Cost per byte</b> ({@code SshCipherBenchmark}: MINA's own cipher and MAC objects, 32 KiB packets, one core
 * of the 2 vCPU AMD EPYC with AES-NI, CLMUL, SHA-NI and AVX2 but no AVX-512, JDK 17.0.21; core-seconds per GB to
 * check and decrypt / to encrypt and MAC): aes128-gcm 0.47 / 0.49, aes256-gcm 0.52 / 0.51, aes128-ctr with
 * hmac-sha2-256-etm 1.15 / 1.06, aes256-ctr with it 1.44 / 1.14, aes128-ctr with hmac-sha2-512-etm 2.8 / 2.7,
 * chacha20-poly1305 7.6 / 7.5 (docs/PERFORMANCE.md, "SSH gateway"). The JDK's AES-GCM runs on its AES-CTR and
 * GHASH (carry-less multiply) intrinsics and costs half of AES-CTR with HMAC-SHA-256, so towards targets, where
 * the gateway chooses, aes128-gcm comes first; users' OpenSSH clients choose aes128-ctr with
 * hmac-sha2-256-etm themselves (their order puts CTR before GCM), which we keep offering for older clients.
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
    /**
     * Both hops, cheapest first: towards targets this order decides, towards users the client's (the order then
     * decides only for clients that leave the choice to the server).
     */
    public static final List<BuiltinCiphers> CIPHERS = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);
    /** Both hops, for AES-CTR; cheapest first (HMAC-SHA-512 costs 2.5 times HMAC-SHA-256 here). */
    public static final List<BuiltinMacs> MACS = List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm,
            BuiltinMacs.hmacsha256, BuiltinMacs.hmacsha512);

    private SshAlgorithms() {
    }

    /** Sets them on the gateway's SSH server (what users' clients may choose from) or client (towards targets). */
    public static void applyTo(KexFactoryManager manager) {
        manager.setCipherFactories(List.<NamedFactory<Cipher>>copyOf(CIPHERS));
        manager.setMacFactories(List.<NamedFactory<Mac>>copyOf(MACS));
        manager.setCompressionFactories(List.<NamedFactory<Compression>>of(BuiltinCompressions.none));
    }
}
