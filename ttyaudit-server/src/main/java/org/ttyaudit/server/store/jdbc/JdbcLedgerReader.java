package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.LedgerLeaf;
import org.ttyaudit.server.store.LedgerNode;
import org.ttyaudit.server.store.LedgerReader;
import org.ttyaudit.server.store.SignedHeadRecord;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link LedgerReader} on the read pool: committed leaves, nodes and signed heads. Thread-safe. */
final class JdbcLedgerReader implements LedgerReader {
    static final String HEAD_COLUMNS = "tree_size, root_hash, signed_at, key_id, signature";

    private final SqlReaders readers;

    JdbcLedgerReader(SqlReaders readers) {
        this.readers = readers;
    }

    @Override
    public long size() {
        return readers.read("reading the ledger size", LedgerSql::size);
    }

    @Override
    public byte[] leafData(long index) {
        return readers.read("reading ledger leaf " + index, c -> LedgerSql.leafData(c, index));
    }

    @Override
    public byte[] node(int level, long index) {
        return readers.read("reading ledger node (" + level + ", " + index + ")",
                c -> LedgerSql.node(c, level, index));
    }

    @Override
    public List<LedgerLeaf> leaves(long fromIndex, int limit) {
        int pageSize = Paging.pageSize(limit);
        return readers.read("reading ledger leaves from " + fromIndex, c -> {
            List<LedgerLeaf> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT idx, data FROM ledger_leaves WHERE idx >= ?"
                    + " ORDER BY idx LIMIT ?"), fromIndex, pageSize).executeQuery()) {
                while (rs.next()) {
                    out.add(new LedgerLeaf(rs.getLong(1), rs.getBytes(2)));
                }
            }
            return out;
        });
    }

    @Override
    public List<LedgerNode> nodes(int level, long fromIndex, int limit) {
        int pageSize = Paging.pageSize(limit);
        return readers.read("reading ledger nodes of level " + level + " from " + fromIndex, c -> {
            List<LedgerNode> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT idx, hash FROM ledger_nodes WHERE level = ? AND idx >= ?"
                    + " ORDER BY idx LIMIT ?"), level, fromIndex, pageSize).executeQuery()) {
                while (rs.next()) {
                    out.add(new LedgerNode(level, rs.getLong(1), rs.getBytes(2)));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<SignedHeadRecord> latestSignedHead() {
        return readers.read("reading the latest signed head", c -> {
            try (ResultSet rs = c.prepare("SELECT " + HEAD_COLUMNS + " FROM signed_heads"
                    + " ORDER BY tree_size DESC, signed_at DESC, id DESC LIMIT 1").executeQuery()) {
                return rs.next() ? Optional.of(head(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public List<SignedHeadRecord> signedHeads(long fromSize, long toSize) {
        return readers.read("reading signed heads", c -> {
            List<SignedHeadRecord> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + HEAD_COLUMNS + " FROM signed_heads"
                    + " WHERE tree_size BETWEEN ? AND ? ORDER BY tree_size, signed_at, id"), fromSize, toSize)
                    .executeQuery()) {
                while (rs.next()) {
                    out.add(head(rs));
                }
            }
            return out;
        });
    }

    static SignedHeadRecord head(ResultSet rs) throws SQLException {
        return new SignedHeadRecord(rs.getLong("tree_size"), rs.getBytes("root_hash"),
                EpochNanos.toInstant(rs.getLong("signed_at")), rs.getString("key_id"), rs.getBytes("signature"));
    }
}
