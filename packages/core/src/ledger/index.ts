// declog's ledger primitives: RFC 9162 Merkle tree hashing and proofs over stored
// nodes, the tree stored as C2SP tiles, and the C2SP text formats (signed-note,
// tlog-checkpoint, tlog-proof) that third parties verify the log with. Pure: storage
// arrives as a getNode function or as tiles read beforehand.
export { EMPTY_ROOT, HASH_SIZE, leafHash, leafHashOfText, nodeHash } from './hashes.js';
export type { Failure } from './failure.js';

export type { LeafRange, NodeRef } from './tree-math.js';
export {
  consistencyNodes,
  consistencyRanges,
  inclusionNodes,
  inclusionRanges,
  isValidSubtree,
  splitPoint,
  subtreeNodes,
} from './tree-math.js';
export type { GetNode } from './subtree-hash.js';
export { rootAt, subtreeHash } from './subtree-hash.js';
export type { Frontier, NewNode } from './frontier.js';
export { EMPTY_FRONTIER, appendLeaf, appendLeaves, frontierAt, frontierRoot } from './frontier.js';
export type { SizedTileRef, Tile, TileRef } from './tile-math.js';
export {
  TILE_HEIGHT,
  TILE_WIDTH,
  edgeTiles,
  tileOfNode,
  tileWidth,
  tilesForNodes,
  treeTiles,
} from './tile-math.js';
export { tilePath } from './tile-path.js';
export type { TileIntegration } from './integrate-tiles.js';
export { integrateTiles } from './integrate-tiles.js';
export { nodesFromTiles } from './nodes-from-tiles.js';
export type { TileMismatch } from './tile-mismatch.js';
export { tileMismatch } from './tile-mismatch.js';
export { inclusionProof } from './inclusion-proof.js';
export { consistencyProof } from './consistency-proof.js';
export {
  merkleRoot,
  referenceConsistencyProof,
  referenceInclusionProof,
} from './reference-tree.js';
export type { InclusionFailureCode } from './verify-inclusion.js';
export { verifyInclusion } from './verify-inclusion.js';
export type { ConsistencyFailureCode } from './verify-consistency.js';
export { verifyConsistency } from './verify-consistency.js';

export type { KeyFailureCode, NoteSigner, NoteVerifier } from './note-keys.js';
export {
  generateSigner,
  formatKeyId,
  isValidKeyName,
  noteKeyId,
  parseSignerKey,
  parseVerifierKey,
} from './note-keys.js';
export type { NoteFailureCode, NoteSignature } from './signed-note.js';
export { openNote, signNote } from './signed-note.js';
export type { Checkpoint, CheckpointFailureCode } from './checkpoint.js';
export { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
export { signCheckpoint } from './sign-checkpoint.js';
export type { CheckpointVerifyFailureCode, PinnedLog } from './verify-checkpoint.js';
export { verifyCheckpoint } from './verify-checkpoint.js';
export type { TlogProof, TlogProofFailureCode } from './tlog-proof.js';
export { formatTlogProof, parseTlogProof } from './tlog-proof.js';
export type { TlogProofVerifyFailureCode } from './verify-tlog-proof.js';
export { verifyTlogProof } from './verify-tlog-proof.js';
