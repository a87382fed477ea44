package org.ttyaudit.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.format.RecordVerifier;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.format.VerifyReport;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.core.ledger.LedgerJson;
import org.ttyaudit.core.ledger.LedgerVerificationException;
import org.ttyaudit.core.ledger.MerkleHashing;
import org.ttyaudit.core.ledger.MerkleVerifier;
import org.ttyaudit.core.ledger.SignedTreeHead;
import org.ttyaudit.core.ledger.TreeHeadVerifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code ttyaudit verify --server}: checks what a server says against what it signed, trusting the server for
 * nothing it cannot prove.
 * <ul>
 *   <li>The latest signed tree head: its Ed25519 signature, by the key pinned with {@code --ledger-key} (or, without
 *       a pin, the key the server names — then only consistency over time protects, and the report says so).</li>
 *   <li>Consistency with the last head this client verified for that server (kept in {@code heads.json} next to
 *       the saved login): a ledger that shrank or was rewritten since is caught here.</li>
 *   <li>For a session: the record file's own chain (as {@code verify FILE}), and an inclusion proof, against the
 *       signed head, of a ledger leaf for its header, every chunk and its end, each leaf naming exactly the hash
 *       the record holds.</li>
 *   <li>For a session whose content retention pruned (docs/RETENTION.md): there is no record to download, so
 *       what is checked is what the signed ledger still says of it: inclusion proofs of its start, of a leaf for
 *       every chunk from 0 to its last, of its end, and of its tombstone, which must come after its end and name
 *       its last chunk with exactly the hash that chunk's leaf records. The report then says "pruned" rather than
 *       failing: the content is gone by policy, and the ledger shows it existed and when it was removed.</li>
 * </ul>
 * Not thread-safe; one per run.
 */
public final class RemoteVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerClient client;
    private final PublicKey pinnedKey;
    private final Path headCache;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * @param pinnedKey the ledger key to trust, or null to take the server's
     * @param headCache where the last verified head per server is kept, or null to keep none
     */
    public RemoteVerifier(ServerClient client, PublicKey pinnedKey, Path headCache) {
        this.client = client;
        this.pinnedKey = pinnedKey;
        this.headCache = headCache;
    }

    /**
     * What was found: problems (empty when intact) and notes.
     *
     * @param pruned null, or for a session retention pruned: when and by which policy, as the server says
     */
    public record Report(List<String> problems, List<String> notes, String pruned) {
        public Report(List<String> problems, List<String> notes) {
            this(problems, notes, null);
        }

        public boolean intact() {
            return problems.isEmpty();
        }
    }

    /** Checks the ledger's latest signed head and its consistency with the last one seen. */
    public Report verifyLedger() throws IOException {
        SignedTreeHead head = LedgerJson.signedHead(client.getJson("/api/v1/ledger/head", Map.of()));
        checkHead(head);
        return new Report(List.copyOf(problems), List.copyOf(notes));
    }

    /** Checks one session's record and its proofs of inclusion in the signed ledger. */
    public Report verifySession(UUID sessionId, Path tempDir) throws IOException {
        JsonNode details = client.getJson("/api/v1/sessions/" + sessionId, Map.of());
        JsonNode pruned = details.path("pruned");
        if (pruned.isObject()) {
            return verifyPruned(sessionId, details.path("chunks").asLong(), pruned);
        }
        Path file = Files.createTempFile(tempDir, "ttyaudit-verify-", ".tta",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            client.download("/api/v1/sessions/" + sessionId + "/record", file);
            VerifyReport chain = RecordVerifier.verify(file);
            chain.problems().forEach(p -> problems.add("session " + sessionId + ": " + p));
            if (!chain.complete()) {
                notes.add("session " + sessionId + " has not ended (or its recorder never finished it)");
            }
            JsonNode proofs = client.getJson("/api/v1/sessions/" + sessionId + "/proofs", Map.of());
            SignedTreeHead head = LedgerJson.signedHead(proofs.get("signed_head"));
            if (checkHead(head) && chain.problems().isEmpty()) {
                checkLeaves(sessionId, RecordFileReader.open(file), head, proofs.get("leaves"));
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return new Report(List.copyOf(problems), List.copyOf(notes));
    }

    /** A pruned session: its leaves in the signed ledger, its tombstone after its end, naming its last chunk. */
    private Report verifyPruned(UUID id, long chunks, JsonNode pruned) throws IOException {
        String when = "on " + pruned.path("at").asText() + " by retention policy " + pruned.path("policy").asText();
        JsonNode proofs = client.getJson("/api/v1/sessions/" + id + "/proofs", Map.of());
        SignedTreeHead head = LedgerJson.signedHead(proofs.get("signed_head"));
        if (!checkHead(head)) {
            return new Report(List.copyOf(problems), List.copyOf(notes), when);
        }
        Map<Long, byte[]> chunkHashes = new java.util.HashMap<>();
        long start = -1;
        long end = -1;
        long lastChunkLeaf = -1;
        long tombstoneIndex = -1;
        LedgerEntry tombstone = null;
        for (JsonNode leaf : proofs.get("leaves")) {
            long index = leaf.get("leaf_index").asLong();
            LedgerEntry entry = includedEntry(id, leaf, head);
            if (entry == null) {
                continue;
            }
            switch (entry.kind()) {
                case SESSION_START -> start = index;
                case CHUNK -> {
                    chunkHashes.put(entry.seq(), entry.recordHash());
                    lastChunkLeaf = Math.max(lastChunkLeaf, index);
                }
                case SESSION_END -> end = index;
                case TOMBSTONE -> {
                    tombstone = entry;
                    tombstoneIndex = index;
                }
                default -> problems.add("session " + id + ": ledger leaf " + index + " is " + entry.kind()
                        + ", which a session does not have");
            }
        }
        String name = "session " + id;
        if (start < 0) {
            problems.add(name + ": no ledger leaf for its header");
        }
        for (long seq = 0; seq < chunks; seq++) {
            if (!chunkHashes.containsKey(seq)) {
                problems.add(name + ": no ledger leaf for chunk " + seq + " in the signed head");
            }
        }
        if (tombstone == null) {
            problems.add(name + ": the server says it was pruned " + when + ", but the signed ledger has no"
                    + " tombstone for it");
        } else {
            byte[] last = chunkHashes.get(chunks - 1);
            if (tombstone.seq() != chunks - 1 || last == null || !Arrays.equals(last, tombstone.recordHash())) {
                problems.add(name + ": its tombstone (ledger leaf " + tombstoneIndex + ") names chunk "
                        + tombstone.seq() + " with hash " + Sha256.hex(tombstone.recordHash()) + ", not its last"
                        + " chunk " + (chunks - 1) + (last == null ? "" : " with hash " + Sha256.hex(last)));
            }
            if (end >= 0 && tombstoneIndex < end) {
                problems.add(name + ": its tombstone (ledger leaf " + tombstoneIndex + ") comes before its end"
                        + " (ledger leaf " + end + ")");
            }
            // a session whose recorder never sent an end is pruned by its last activity: then the tombstone
            // closes its chain, and must follow its last chunk
            if (tombstoneIndex < lastChunkLeaf) {
                problems.add(name + ": its tombstone (ledger leaf " + tombstoneIndex + ") comes before its last"
                        + " chunk (ledger leaf " + lastChunkLeaf + ")");
            }
        }
        notes.add(name + ": its content was pruned " + when + "; checked its start, " + chunkHashes.size()
                + " chunk leaves, " + (end < 0 ? "no end (it never ended)" : "its end") + " and its tombstone (ledger"
                + " leaf " + tombstoneIndex + ") against the signed head of " + head.head().treeSize() + " leaves; the"
                + " content itself is gone and cannot be checked");
        return new Report(List.copyOf(problems), List.copyOf(notes), when);
    }

    /** The leaf's entry when it decodes, is proven included in {@code head} and names the session; else null. */
    private LedgerEntry includedEntry(UUID id, JsonNode leaf, SignedTreeHead head) {
        long index = leaf.get("leaf_index").asLong();
        byte[] data = HexFormat.of().parseHex(leaf.get("leaf_data").asText());
        LedgerEntry entry;
        try {
            entry = LedgerEntry.fromLeafData(data);
            MerkleVerifier.verifyInclusion(MerkleHashing.leafHash(data), index, head.head().treeSize(),
                    LedgerJson.hashes(leaf.get("proof")), head.head().rootHash());
        } catch (IllegalArgumentException | LedgerVerificationException e) {
            problems.add("session " + id + ": ledger leaf " + index + ": " + e.getMessage());
            return null;
        }
        if (!entry.subject().equals(id)) {
            problems.add("session " + id + ": ledger leaf " + index + " names session " + entry.subject());
            return null;
        }
        return entry;
    }

    private void checkLeaves(UUID id, Recording record, SignedTreeHead head, JsonNode leaves) {
        List<byte[]> expectedChunks = record.chunks().stream().map(Chunk::hash).toList();
        int chunkLeaves = 0;
        boolean start = false;
        boolean end = false;
        for (JsonNode leaf : leaves) {
            long index = leaf.get("leaf_index").asLong();
            LedgerEntry entry = includedEntry(id, leaf, head);
            if (entry == null) {
                continue;
            }
            byte[] expected = switch (entry.kind()) {
                case SESSION_START -> {
                    start = true;
                    yield record.headerHash();
                }
                case CHUNK -> {
                    chunkLeaves++;
                    yield entry.seq() < expectedChunks.size() ? expectedChunks.get((int) entry.seq()) : null;
                }
                case SESSION_END -> {
                    end = true;
                    yield record.end().map(e -> e.hash()).orElse(null);
                }
                default -> null;
            };
            if (expected == null || !Arrays.equals(expected, entry.recordHash())) {
                problems.add("session " + id + ": ledger leaf " + index + " (" + entry.kind().name().toLowerCase()
                        + (entry.kind() == LedgerEntry.Kind.CHUNK ? " " + entry.seq() : "") + ") commits to "
                        + Sha256.hex(entry.recordHash()) + ", but the record holds "
                        + (expected == null ? "no such record" : Sha256.hex(expected))
                        + " — the record was changed after the server signed it");
            }
        }
        if (!start) {
            problems.add("session " + id + ": no ledger leaf for its header");
        }
        if (chunkLeaves < expectedChunks.size()) {
            notes.add("session " + id + ": " + (expectedChunks.size() - chunkLeaves) + " chunk(s) are newer than the "
                    + "signed head at tree size " + head.head().treeSize() + " (proved at the next signature)");
        }
        if (record.end().isPresent() && !end) {
            notes.add("session " + id + ": its end is newer than the signed head");
        }
    }

    /** Checks the head's signature and its consistency with the cached one; false when it cannot be trusted. */
    private boolean checkHead(SignedTreeHead head) throws IOException {
        PublicKey key = pinnedKey;
        if (key == null) {
            key = Ed25519Keys.decodePublicKeyPem(client.getJson("/api/v1/ledger/key", Map.of())
                    .get("public_key_pem").asText());
            notes.add("the ledger key was taken from the server (" + Ed25519Keys.keyId(key) + "); pin it with "
                    + "--ledger-key to check against a copy kept elsewhere");
        }
        try {
            new TreeHeadVerifier(key).verify(head);
        } catch (LedgerVerificationException e) {
            problems.add("signed tree head at size " + head.head().treeSize() + ": " + e.getMessage());
            return false;
        }
        SignedTreeHead previous = cachedHead();
        if (previous != null) {
            long from = previous.head().treeSize();
            long to = head.head().treeSize();
            if (to < from) {
                problems.add("the ledger shrank from " + from + " leaves (signed " + previous.head().timestamp()
                        + ") to " + to + ": records were removed or the ledger was rolled back");
                return false;
            }
            JsonNode proof = client.getJson("/api/v1/ledger/consistency", Map.of("from", Long.toString(from), "to",
                    Long.toString(to)));
            try {
                MerkleVerifier.verifyConsistency(from, to, previous.head().rootHash(), head.head().rootHash(),
                        LedgerJson.hashes(proof.get("proof")));
            } catch (LedgerVerificationException e) {
                problems.add("the ledger at " + to + " leaves does not extend the one signed at " + from + " leaves ("
                        + previous.head().timestamp() + "): it was rewritten — " + e.getMessage());
                return false;
            }
            notes.add("consistent with the head verified before (" + from + " → " + to + " leaves)");
        } else if (headCache != null) {
            notes.add("first verification against this server: its head (" + head.head().treeSize()
                    + " leaves) is remembered to check that later ones extend it");
        }
        remember(head);
        return true;
    }

    private SignedTreeHead cachedHead() throws IOException {
        if (headCache == null || !Files.exists(headCache)) {
            return null;
        }
        JsonNode n = JSON.readTree(headCache.toFile()).get(client.url());
        return n == null ? null : LedgerJson.signedHead(n);
    }

    private void remember(SignedTreeHead head) throws IOException {
        if (headCache == null) {
            return;
        }
        ObjectNode all = Files.exists(headCache) ? (ObjectNode) JSON.readTree(headCache.toFile())
                : JSON.createObjectNode();
        all.set(client.url(), LedgerJson.signedHead(head));
        Files.createDirectories(headCache.getParent());
        Path tmp = headCache.resolveSibling(headCache.getFileName() + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
        Files.move(tmp, headCache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
