/**
 * The server-wide Merkle ledger (docs/LEDGER.md): every record the server accepts becomes a leaf
 * ({@link org.ttyaudit.core.ledger.LedgerEntry}) of an append-only Merkle tree hashed as in RFC 6962 / RFC 9162
 * ({@link org.ttyaudit.core.ledger.MerkleHashing}); {@link org.ttyaudit.core.ledger.MerkleTree} computes the nodes
 * to store, roots and proofs over stored complete subtrees ({@link org.ttyaudit.core.ledger.TreeNodes});
 * {@link org.ttyaudit.core.ledger.MerkleVerifier} checks proofs offline; tree heads are signed with Ed25519
 * ({@link org.ttyaudit.core.ledger.TreeHeadSigner}, {@link org.ttyaudit.core.ledger.TreeHeadVerifier},
 * {@link org.ttyaudit.core.ledger.Ed25519Keys}). JDK only.
 */
package org.ttyaudit.core.ledger;
