// WCAG 2 contrast between two #rrggbb colours, as the portal computes it (web/portal/js/shell.js)
// to decide whether the brand's text colour reads on its primary colour.

const WEIGHTS = [0.2126, 0.7152, 0.0722];

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return [n >> 16, (n >> 8) & 255, n & 255]
    .map((c) => c / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, i) => sum + c * (WEIGHTS[i] ?? 0), 0);
}

export const COLOUR = /^#[0-9a-fA-F]{6}$/;
export const AA = 4.5;

/** `contrast('#0b57d0', '#ffffff')` → 6.4; `null` when either is not `#rrggbb`. */
export function contrast(a: string, b: string): number | null {
  if (!COLOUR.test(a) || !COLOUR.test(b)) return null;
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
