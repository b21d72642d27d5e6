/** A read's JSON text and how many records it holds, for the access trail. */
export interface Answer {
  readonly json: string;
  readonly records: number;
  /** The data subjects of the records it holds, for the access trail (see recordAccess). */
  readonly subjects?: readonly string[];
}
