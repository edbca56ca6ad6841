/**
 * Which x-axis labels a chart can draw without overlap: estimated from their length at the font
 * size, kept from the first one on, always keeping the last (the newest point), and dropping any
 * shown label the last would collide with.
 */

/** Average glyph width of the tab's UI font, as a share of the font size (digits and capitals). */
const GLYPH_EM = 0.62;
/** Space kept between two labels, in SVG units. */
const LABEL_GAP = 10;

/** The text shown under the axis: a date as MM-DD, an ISO week as Wnn, anything else as is. */
export function axisText(label: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(label)) return label.slice(5);
  if (/^\d{4}-W\d{2}$/.test(label)) return label.slice(5);
  return label;
}

/**
 * Indices of the labels to draw at x positions `xs` (ascending): the first label is anchored at its
 * start, the last at its end, the others centred.
 */
export function visibleLabelIndices(
  labels: readonly string[],
  xs: readonly number[],
  fontSize: number,
): number[] {
  const n = labels.length;
  if (n === 0) return [];
  const extent = (i: number): [number, number] => {
    const w = axisText(labels[i] ?? '').length * fontSize * GLYPH_EM;
    const x = xs[i] ?? 0;
    if (n > 1 && i === n - 1) return [x - w, x];
    if (n > 1 && i === 0) return [x, x + w];
    return [x - w / 2, x + w / 2];
  };
  const shown: number[] = [];
  for (let i = 0; i < n; i++) {
    const prev = shown[shown.length - 1];
    if (prev === undefined || extent(prev)[1] + LABEL_GAP <= extent(i)[0]) shown.push(i);
  }
  if (shown[shown.length - 1] !== n - 1) {
    const [lastLeft] = extent(n - 1);
    while (shown.length > 0 && extent(shown[shown.length - 1]!)[1] + LABEL_GAP > lastLeft) {
      shown.pop();
    }
    shown.push(n - 1);
  }
  return shown;
}
