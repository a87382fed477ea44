package org.ttyaudit.bench;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one full SSH data packet (32 KiB payload, OpenSSH's and MINA's default maximum) costs the gateway in
 * cryptography with MINA's own cipher and MAC objects, per algorithm suite (docs/PERFORMANCE.md, "SSH gateway";
 * the choice is {@code org.ttyaudit.gateway.ssh.SshAlgorithms}). The calls are the ones MINA's packet codec makes:
 * <ul>
 *   <li>{@code seal}: encrypt and authenticate a packet, as the gateway does towards the user;</li>
 *   <li>{@code open}: check and decrypt a packet, as the gateway does with the target's output (the work MINA's
 *       client does on the target hop, the one the gateway chooses the algorithms for).</li>
 * </ul>
 * Encrypt-then-MAC suites MAC the sequence number and the whole encrypted packet (length in clear); AEAD suites
 * (AES-GCM, chacha20-poly1305) take the length as associated data. One operation is one packet, so ops/s × 32 KiB
 * is the throughput of one core, and its inverse the CPU per byte. {@code open} copies each sealed packet into the
 * work buffer first (decryption is in place), 32 KiB of {@code arraycopy} that every suite pays alike.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class SshCipherBenchmark {
    private static final int PAYLOAD = 32 * 1024;
    /** Padding-length byte + payload + padding to a multiple of the 16-byte block (at least 4 bytes of it). */
    private static final int BODY = 32784;
    private static final int SEALED_IN_RING = 16;

    /** A cipher, or {@code cipher+mac} for encrypt-then-MAC; OpenSSH names. */
    @Param({"aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr+hmac-sha2-256-etm@openssh.com",
            "aes128-ctr+hmac-sha2-512-etm@openssh.com", "aes256-ctr+hmac-sha2-256-etm@openssh.com",
            "chacha20-poly1305@openssh.com"})
    public String suite;

    private byte[] key;
    private byte[] iv;
    private byte[] macKey;
    private Suite sender;
    private Suite receiver;
    private byte[][] sealed;
    private byte[] work;
    private int next;

    /** One direction's cipher and (for encrypt-then-MAC) MAC, with its packet sequence number. */
    private static final class Suite {
        final Cipher cipher;
        final Mac mac;
        final byte[] tag;
        long seq;

        Suite(String name, Cipher.Mode mode, byte[] key, byte[] iv, byte[] macKey) throws Exception {
            String[] parts = name.split("\\+");
            cipher = BuiltinCiphers.fromFactoryName(parts[0]).create();
            cipher.init(mode, Arrays.copyOf(key, cipher.getKdfSize()), Arrays.copyOf(iv, cipher.getIVSize()));
            if (parts.length > 1) {
                mac = BuiltinMacs.fromFactoryName(parts[1]).create();
                mac.init(Arrays.copyOf(macKey, mac.getDefaultBlockSize()));
                tag = new byte[mac.getBlockSize()];
            } else {
                mac = null;
                tag = null;
            }
        }

        int trailer() {
            return mac == null ? cipher.getAuthenticationTagSize() : mac.getBlockSize();
        }

        void seal(byte[] packet) throws Exception {
            if (mac == null) {
                cipher.updateWithAAD(packet, 0, 4, BODY);
            } else {
                cipher.update(packet, 4, BODY);
                mac.updateUInt(seq);
                mac.update(packet, 0, 4 + BODY);
                mac.doFinal(packet, 4 + BODY);
            }
            seq++;
        }

        void open(byte[] packet) throws Exception {
            if (mac == null) {
                cipher.updateWithAAD(packet, 0, 4, BODY);
            } else {
                mac.updateUInt(seq);
                mac.update(packet, 0, 4 + BODY);
                mac.doFinal(tag, 0);
                if (!Mac.equals(tag, 0, packet, 4 + BODY, tag.length)) {
                    throw new IllegalStateException("MAC mismatch in packet " + seq);
                }
                cipher.update(packet, 4, BODY);
            }
            seq++;
        }
    }

    @Setup
    public void setUp() throws Exception {
        Random random = new Random(42);
        key = new byte[64];
        iv = new byte[16];
        macKey = new byte[64];
        random.nextBytes(key);
        if (!suite.startsWith("chacha20")) {
            random.nextBytes(iv); // chacha20-poly1305's nonce is the packet sequence number, from 0
        }
        random.nextBytes(macKey);
        sender = new Suite(suite, Cipher.Mode.Encrypt, key, iv, macKey);
        byte[] plain = plainPacket(sender.trailer(), random);
        sealed = new byte[SEALED_IN_RING][];
        for (int i = 0; i < SEALED_IN_RING; i++) {
            sealed[i] = plain.clone();
            sender.seal(sealed[i]);
        }
        work = new byte[plain.length];
        newReceiver();
        for (int i = 0; i < SEALED_IN_RING; i++) {
            open();
        }
        if (!Arrays.equals(work, 0, 4 + BODY, plain, 0, 4 + BODY)) {
            throw new IllegalStateException(suite + ": the opened packet differs from the sealed one");
        }
    }

    private static byte[] plainPacket(int trailer, Random random) {
        byte[] packet = new byte[4 + BODY + trailer];
        packet[0] = (byte) (BODY >>> 24);
        packet[1] = (byte) (BODY >>> 16);
        packet[2] = (byte) (BODY >>> 8);
        packet[3] = (byte) BODY;
        packet[4] = (byte) (BODY - 1 - PAYLOAD);
        byte[] text = TerminalData.longListing(PAYLOAD, 42);
        System.arraycopy(text, 0, packet, 5, PAYLOAD);
        for (int i = 5 + PAYLOAD; i < 4 + BODY; i++) {
            packet[i] = (byte) random.nextInt();
        }
        return packet;
    }

    private void newReceiver() throws Exception {
        receiver = new Suite(suite, Cipher.Mode.Decrypt, key, iv, macKey);
        next = 0;
    }

    @Benchmark
    public byte[] seal() throws Exception {
        sender.seal(work);
        return work;
    }

    /** Opens the sealed packets in their order; after the last, starts a new receiver (keys and counter anew). */
    @Benchmark
    public byte[] open() throws Exception {
        if (next == SEALED_IN_RING) {
            newReceiver();
        }
        byte[] packet = sealed[next++];
        System.arraycopy(packet, 0, work, 0, packet.length);
        receiver.open(work);
        return work;
    }
}
