import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePng, type RgbaImage } from './png';

/** The app's accent colour (also `accentColor` in manifest/manifest.json). */
export const ACCENT = { r: 0x1f, g: 0x4e, b: 0x79 };

// The glyph, in unit coordinates: three rising bars on a baseline (a control chart), as rectangles.
const GLYPH: Array<[x0: number, y0: number, x1: number, y1: number]> = [
  [0.2, 0.56, 0.35, 0.78],
  [0.425, 0.38, 0.575, 0.78],
  [0.65, 0.2, 0.8, 0.78],
  [0.14, 0.82, 0.86, 0.87],
];

function draw(
  size: number,
  background: { r: number; g: number; b: number; a: number },
  ink: { r: number; g: number; b: number; a: number },
): RgbaImage {
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      const inGlyph = GLYPH.some(([x0, y0, x1, y1]) => u >= x0 && u < x1 && v >= y0 && v < y1);
      const c = inGlyph ? ink : background;
      pixels.writeUInt8(c.r, (y * size + x) * 4);
      pixels.writeUInt8(c.g, (y * size + x) * 4 + 1);
      pixels.writeUInt8(c.b, (y * size + x) * 4 + 2);
      pixels.writeUInt8(c.a, (y * size + x) * 4 + 3);
    }
  }
  return { width: size, height: size, pixels };
}

/** The two Teams icons as PNG bytes: color 192×192 (white glyph on the accent), outline 32×32 (white on transparent). */
export function makeIcons(): { color: Buffer; outline: Buffer } {
  const white = { r: 255, g: 255, b: 255, a: 255 };
  return {
    color: encodePng(draw(192, { ...ACCENT, a: 255 }, white)),
    outline: encodePng(draw(32, { r: 255, g: 255, b: 255, a: 0 }, white)),
  };
}

// `npx tsx src/app-package/make-icons.ts` rewrites manifest/color.png and manifest/outline.png.
if (require.main === module) {
  const dir = path.resolve(__dirname, '../../manifest');
  const icons = makeIcons();
  writeFileSync(path.join(dir, 'color.png'), icons.color);
  writeFileSync(path.join(dir, 'outline.png'), icons.outline);
  process.stdout.write(
    `wrote ${path.join(dir, 'color.png')} and ${path.join(dir, 'outline.png')}\n`,
  );
}
