// How a store may keep an event's canonical JSON in fewer bytes. Canonical JSON (RFC 8785)
// never holds a raw control character: strings escape them. So the characters U+0002–U+001F
// are free to stand for the contract's most frequent member names, and U+0001 first marks
// a text written that way. Expanding restores the canonical text byte for byte; any other
// text (an older row, or one edited by hand) is taken as it stands.

/** What U+0002, U+0003, … stand for. Fixed forever: stored rows depend on it. */
const PHRASES_V1: readonly string[] = [
  '"id":"',
  '"type":"decision"}',
  '"occurred_at":"',
  '"recorded_at":"',
  '"seq":',
  '"confidence":',
  '"context":{',
  '"input":{',
  '"features":{',
  '"labels":{',
  '"model":{"name":"',
  '","version":"',
  '"personal":{"commitment":"',
  '","fields":["/',
  '"prediction":{',
  '"label":',
  '"score":',
  '"rationale":{',
  '"reasons":[{"code":"',
  '},{"code":"',
  '"weight":',
  '"summary":"',
  '"subject":{"id":"',
  '"cohort":{',
  '"channel":"',
  '"decision_id":"',
  '"action":{',
  '"outcome":{',
  '"annotation":{',
  '"actor":{',
];

const MARKER = '\u0001';
const FIRST_TOKEN = 2;
// eslint-disable-next-line no-control-regex -- a raw one means the text is not canonical JSON
const CONTROL = /[\u0000-\u001f]/;
// eslint-disable-next-line no-control-regex -- the characters canonical JSON leaves free
const TOKEN = /[\u0002-\u001f]/g;

const tokenOf = new Map(
  PHRASES_V1.map((phrase, i) => [phrase, String.fromCharCode(FIRST_TOKEN + i)] as const),
);
const RECORDED_AT = tokenOf.get('"recorded_at":"') as string;
const SEQ = tokenOf.get('"seq":') as string;
// Longest first, so that a phrase is never cut short by another that begins it.
const PHRASE = new RegExp(
  [...PHRASES_V1]
    .sort((a, b) => b.length - a.length)
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|'),
  'g',
);

/** The stored form of an event's canonical JSON text. */
export function compactEventText(json: string): string {
  // Not canonical JSON: kept as it is (and expanded as it is).
  if (CONTROL.test(json)) return json;
  return MARKER + json.replace(PHRASE, (phrase) => tokenOf.get(phrase) as string);
}

/**
 * A piece of an event's canonical JSON text in the stored form, without the leading mark:
 * `compactEventText(a + b)` is the mark followed by `compactPiece(a) + compactPiece(b)` when
 * the pieces are cut between members (no phrase spans two members).
 */
export function compactPiece(text: string): string {
  return text.replace(PHRASE, (phrase) => tokenOf.get(phrase) as string);
}

/** The stored form of `,"recorded_at":"…"`, a member sequencing adds. */
export function compactRecordedAt(recordedAt: string): string {
  return `,${RECORDED_AT}${JSON.stringify(recordedAt).slice(1)}`;
}

/** The stored form of `,"seq":N`, the other member sequencing adds. */
export function compactSeq(seq: number): string {
  return `,${SEQ}${seq}`;
}

/** The mark a stored text written with phrases starts with. */
export const COMPACT_MARK = MARKER;

/** The canonical JSON text of a stored event, whichever way it was stored. */
export function expandEventText(stored: string): string {
  if (!stored.startsWith(MARKER)) return stored;
  return stored
    .slice(1)
    .replace(TOKEN, (token) => PHRASES_V1[token.charCodeAt(0) - FIRST_TOKEN] as string);
}
