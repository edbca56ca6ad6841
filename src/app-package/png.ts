import { deflateSync, inflateSync } from 'node:zlib';

/** An RGBA image, 8 bits per channel, rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes. */
  pixels: Buffer;
}

/** What the PNG header says, and the pixels when we can decode them (8-bit, non-interlaced). */
export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
  /** True when the format can carry transparency (an alpha channel or a tRNS chunk). */
  hasAlpha: boolean;
  /** Decoded RGBA pixels, or null for formats this reader leaves alone (palette, 16-bit, interlaced). */
  rgba: Buffer | null;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG chunks use it. */
export function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * Encodes an image as an RGBA PNG (or RGB with `alpha: false`, dropping the alpha bytes); no filters,
 * zlib level 9, so the same pixels always give the same bytes.
 */
export function encodePng(image: RgbaImage, options: { alpha: boolean } = { alpha: true }): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(options.alpha ? 6 : 2, 9); // RGBA or RGB
  // compression, filter method, interlace: all 0
  const channels = options.alpha ? 4 : 3;
  const stride = image.width * channels;
  const raw = Buffer.alloc((stride + 1) * image.height);
  for (let i = 0; i < image.width * image.height; i += 1) {
    const row = Math.floor(i / image.width);
    image.pixels.copy(raw, row + 1 + i * channels, i * 4, i * 4 + channels);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Reads a PNG's header and, for 8-bit grey/RGB/grey+alpha/RGBA, its pixels. Throws on a non-PNG. */
export function readPng(bytes: Buffer): PngInfo {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error('not a PNG file (bad signature)');
  }
  let offset = 8;
  let ihdr: Buffer | null = null;
  let hasTrns = false;
  const idat: Buffer[] = [];
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (data.length !== length) throw new Error(`truncated PNG chunk ${type}`);
    if (type === 'IHDR') ihdr = data;
    else if (type === 'tRNS') hasTrns = true;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (ihdr === null || ihdr.length !== 13) throw new Error('PNG has no IHDR chunk');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const bitDepth = ihdr.readUInt8(8);
  const colorType = ihdr.readUInt8(9);
  const interlaced = ihdr.readUInt8(12) === 1;
  const hasAlpha = colorType === 4 || colorType === 6 || hasTrns;
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  const rgba =
    channels === undefined || bitDepth !== 8 || interlaced || hasTrns
      ? null
      : decodePixels(inflateSync(Buffer.concat(idat)), width, height, channels);
  return { width, height, bitDepth, colorType, interlaced, hasAlpha, rgba };
}

function decodePixels(raw: Buffer, width: number, height: number, channels: number): Buffer {
  const stride = width * channels;
  if (raw.length < (stride + 1) * height)
    throw new Error('PNG image data is shorter than its size');
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x += 1) {
      const left = x >= channels ? rows[y * stride + x - channels]! : 0;
      const up = y > 0 ? rows[(y - 1) * stride + x]! : 0;
      const upLeft = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels]! : 0;
      let predictor: number;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) predictor = paeth(left, up, upLeft);
      else throw new Error(`PNG row ${y} has unknown filter ${filter}`);
      rows[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i += 1) {
    const p = rows.subarray(i * channels, (i + 1) * channels);
    const [r, g, b, a] =
      channels === 1
        ? [p[0]!, p[0]!, p[0]!, 255]
        : channels === 2
          ? [p[0]!, p[0]!, p[0]!, p[1]!]
          : channels === 3
            ? [p[0]!, p[1]!, p[2]!, 255]
            : [p[0]!, p[1]!, p[2]!, p[3]!];
    rgba.writeUInt8(r, i * 4);
    rgba.writeUInt8(g, i * 4 + 1);
    rgba.writeUInt8(b, i * 4 + 2);
    rgba.writeUInt8(a, i * 4 + 3);
  }
  return rgba;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
