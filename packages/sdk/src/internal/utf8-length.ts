// eslint-disable-next-line no-control-regex -- the test is for any character beyond ASCII
const NOT_ASCII = /[^\x00-\x7f]/;

/** The number of bytes of the UTF-8 encoding of `text`, without encoding it. */
export function utf8Length(text: string): number {
  // Most events are ASCII: the engine's regex scan is several times faster than the loop.
  if (!NOT_ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair: two UTF-16 units, four bytes.
      bytes += 2;
      i += 1;
    } else bytes += 2;
  }
  return bytes;
}
