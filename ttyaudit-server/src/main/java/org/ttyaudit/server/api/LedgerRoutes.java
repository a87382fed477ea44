package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.core.ledger.LedgerJson;
import org.ttyaudit.core.ledger.SignedTreeHead;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.ledger.LedgerProofs;
import org.ttyaudit.server.ledger.TreeHeadPublisher;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.LedgerLeaf;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ledger (docs/LEDGER.md): signed tree heads, the signing key, inclusion and consistency proofs, leaves,
 * and all inclusion proofs of one session's records. Proofs reveal no content, so every authenticated user may
 * read them; a session's proofs need the right to see the session.
 */
final class LedgerRoutes implements Routes {
    private static final int MAX_LEAVES = 1000;

    private final Store store;
    private final LedgerProofs proofs;
    private final TreeHeadPublisher heads;

    LedgerRoutes(Store store, LedgerProofs proofs, TreeHeadPublisher heads) {
        this.store = store;
        this.proofs = proofs;
        this.heads = heads;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/ledger/head", this::head);
        routes.get("/api/v1/ledger/key", this::key);
        routes.get("/api/v1/ledger/inclusion", this::inclusion);
        routes.get("/api/v1/ledger/consistency", this::consistency);
        routes.get("/api/v1/ledger/leaves", this::leaves);
        routes.get("/api/v1/sessions/{id}/proofs", this::sessionProofs);
    }

    private void head(Context ctx) {
        Caller.require(ctx, Action.LEDGER_READ, null);
        SignedTreeHead head = heads.signNow().orElseThrow(() -> ApiException.notFound("the ledger is empty"));
        Json.write(ctx, 200, LedgerJson.signedHead(head));
    }

    private void key(Context ctx) {
        Caller.require(ctx, Action.LEDGER_READ, null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key_id", heads.signer().keyId());
        m.put("public_key_pem", Ed25519Keys.encodePublicKeyPem(heads.signer().publicKey()));
        Json.write(ctx, 200, m);
    }

    private void inclusion(Context ctx) {
        Caller.require(ctx, Action.LEDGER_READ, null);
        long index = Params.number(ctx, "leaf_index", -1);
        long size = Params.number(ctx, "tree_size", -1);
        Json.write(ctx, 200, inclusionProof(index, size));
    }

    private void consistency(Context ctx) {
        Caller.require(ctx, Action.LEDGER_READ, null);
        long from = Params.number(ctx, "from", -1);
        long to = Params.number(ctx, "to", -1);
        List<byte[]> proof;
        try {
            proof = proofs.consistency(from, to);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("to", to);
        m.put("proof", LedgerJson.hashes(proof));
        Json.write(ctx, 200, m);
    }

    private void leaves(Context ctx) {
        Caller.require(ctx, Action.LEDGER_READ, null);
        long start = Params.number(ctx, "start", 0);
        long count = Math.min(Params.number(ctx, "count", 100), MAX_LEAVES);
        long size = store.ledger().size();
        if (start < 0 || count < 1) {
            throw ApiException.badRequest("start must be ≥ 0 and count ≥ 1");
        }
        List<Object> out = new ArrayList<>();
        if (start < size) {
            for (LedgerLeaf leaf : store.ledger().leaves(start, (int) count)) {
                out.add(Map.of("index", leaf.index(), "data", HexFormat.of().formatHex(leaf.data())));
            }
        }
        Json.write(ctx, 200, Map.of("tree_size", size, "leaves", out));
    }

    /**
     * Inclusion proofs of a session's start, chunks and end (and its tombstone when retention pruned it) against
     * the latest signed head.
     */
    private void sessionProofs(Context ctx) {
        Caller.grant(ctx, Action.SESSION_VIEW);
        UUID id = Params.sessionId(ctx);
        SessionRecord s = store.sessions().get(id).orElse(null);
        if (s == null || !org.ttyaudit.server.auth.AccessPolicy.allows(Caller.of(ctx), Action.SESSION_VIEW,
                s.header().user())) {
            throw ApiException.notFound("no session " + id);
        }
        SignedTreeHead head = heads.signNow().orElseThrow(() -> ApiException.notFound("the ledger is empty"));
        long size = head.head().treeSize();
        List<Object> leaves = new ArrayList<>();
        leaves.add(leafProof("session_start", 0, s.ledgerIndex(), size));
        for (ChunkRecord c : store.sessions().chunks(id)) {
            if (c.ledgerIndex() < size) {
                leaves.add(leafProof("chunk", c.seq(), c.ledgerIndex(), size));
            }
        }
        if (s.end() != null && s.end().ledgerIndex() < size) {
            leaves.add(leafProof("session_end", 0, s.end().ledgerIndex(), size));
        }
        if (s.isPruned() && s.pruned().ledgerIndex() < size) {
            leaves.add(leafProof("tombstone", s.committedSeq(), s.pruned().ledgerIndex(), size));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", id.toString());
        m.put("signed_head", LedgerJson.signedHead(head));
        m.put("leaves", leaves);
        Json.write(ctx, 200, m);
    }

    private Map<String, Object> leafProof(String kind, long seq, long index, long size) {
        Map<String, Object> m = inclusionProof(index, size);
        m.put("kind", kind);
        m.put("seq", seq);
        m.put("leaf_data", HexFormat.of().formatHex(store.ledger().leafData(index)));
        return m;
    }

    private Map<String, Object> inclusionProof(long index, long size) {
        List<byte[]> proof;
        try {
            proof = proofs.inclusion(index, size);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leaf_index", index);
        m.put("tree_size", size);
        m.put("proof", LedgerJson.hashes(proof));
        return m;
    }


}
