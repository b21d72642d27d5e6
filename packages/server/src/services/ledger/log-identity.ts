import type { NoteSigner } from '@declog/core';

/** Who the log is to verifiers: its checkpoint origin and the key that signs its checkpoints. */
export interface LogIdentity {
  readonly origin: string;
  readonly signer: NoteSigner;
  /** The verifier key text `name+hexkeyid+base64(0x01‖pubkey)` that auditors pin. */
  readonly verifierKey: string;
}
