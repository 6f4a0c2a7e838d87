// The brand's colours at run time: once a staff member signs in, the console reads `GET /brand` (the public
// settings answer CORS to the portal only) and puts the brand's primary colour into Mantine's
// theme and the shared tokens' variables, as the portal does with its settings. A colour on which white text would fail WCAG AA is not
// taken: the console keeps the tokens' default (buttons are white text on the primary colour).
import { createTheme, type MantineColorsTuple, type MantineThemeOverride } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from './api/client';
import { useSession } from './auth/session';
import { AA, COLOUR, contrast } from './components/contrast';
import { OUTSIDERS } from './shell/menu';
import { theme as defaultTheme } from './theme';

interface BrandColours {
  theme?: { colors?: { primary?: unknown } };
}

function mix(hex: string, other: number, weight: number): string {
  const n = parseInt(hex.slice(1), 16);
  const channels = [n >> 16, (n >> 8) & 255, n & 255].map((c) => Math.round(c + (other - c) * weight));
  return `#${channels.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** `#7a1f5c` → ten shades, the colour itself at 6 (Mantine's filled shade), tints before it
 * and shades after, for hovers and light variants. */
export function shadesOf(primary: string): MantineColorsTuple {
  const tints = [0.9, 0.8, 0.62, 0.45, 0.3, 0.15].map((w) => mix(primary, 255, w));
  const darker = [0.12, 0.24, 0.36].map((w) => mix(primary, 0, w));
  return [...tints, primary, ...darker] as unknown as MantineColorsTuple;
}

/** The brand's colour when it suits the console (white text on it at AA), else null. */
export function usableBrandColour(value: unknown): string | null {
  if (typeof value !== 'string' || !COLOUR.test(value)) return null;
  const ratio = contrast(value, '#ffffff');
  return ratio !== null && ratio >= AA ? value.toLowerCase() : null;
}

/** The console's theme: the default one, then the brand's once its settings arrive. */
export function useBrandTheme(): MantineThemeOverride {
  const [theme, setTheme] = useState<MantineThemeOverride>(defaultTheme);
  const session = useSession();
  // `GET /brand` is for staff: a dealer's or a service company's user (refused it) keeps the
  // tokens' colours
  const staff = session.status === 'signed_in' && session.session.roles.some((role) => !OUTSIDERS.includes(role));
  useEffect(() => {
    if (!staff) return undefined;
    const controller = new AbortController();
    api<BrandColours>('/brand', { signal: controller.signal })
      .then((brand) => {
        const primary = usableBrandColour(brand.theme?.colors?.primary);
        if (!primary) return;
        const root = document.documentElement.style;
        root.setProperty('--primary', primary);
        root.setProperty('--link', primary);
        setTheme(createTheme({ ...defaultTheme, colors: { ...defaultTheme.colors, brand: shadesOf(primary) } }));
      })
      .catch(() => {
        // no answer (offline, the API down): the tokens' colours stay
      });
    return () => {
      controller.abort();
    };
  }, [staff]);
  return theme;
}
