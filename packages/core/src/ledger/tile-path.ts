import { TILE_WIDTH, type SizedTileRef } from './tile-math.js';

/**
 * The C2SP tlog-tiles path of a tile, `tile/<L>/<N>[.p/<W>]`: the index in zero-padded
 * groups of three digits, all but the last prefixed with `x`, and the width only for a
 * partial tile.
 *
 * @example tilePath({ level: 0, index: 1234067, width: 8 }) // 'tile/0/x001/x234/067.p/8'
 */
export function tilePath(tile: SizedTileRef): string {
  const { level, index, width } = tile;
  if (!Number.isSafeInteger(level) || level < 0 || level > 63) {
    throw new RangeError(`tile level ${level} is not an integer from 0 to 63`);
  }
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`tile index ${index} is not a non-negative integer`);
  }
  if (!Number.isSafeInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new RangeError(`tile width ${width} is not an integer from 1 to ${TILE_WIDTH}`);
  }
  let path = pad(index % 1000);
  for (let rest = Math.floor(index / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    path = `x${pad(rest % 1000)}/${path}`;
  }
  return `tile/${level}/${path}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

function pad(group: number): string {
  return String(group).padStart(3, '0');
}
