import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

// The tokens' --primary (#0b57d0) is shade 6, the one Mantine fills with; the others are its
// tints and shades for hovers and light variants.
const brand: MantineColorsTuple = [
  '#e8f0fe',
  '#d2e0fb',
  '#a6c1f6',
  '#77a0f1',
  '#4f84ec',
  '#3572e9',
  '#0b57d0',
  '#0a4cb8',
  '#08409e',
  '#063584',
];

// The shared design tokens (web/shared/tokens.css) carried into Mantine: the brand's primary
// colour, the system font stack (nothing downloaded), the radii.
export const theme = createTheme({
  primaryColor: 'brand',
  colors: { brand },
  primaryShade: 6,
  fontFamily: 'var(--font-sans)',
  fontFamilyMonospace: 'var(--font-mono)',
  headings: { fontFamily: 'var(--font-sans)' },
  defaultRadius: 'md',
});

// Mantine's "dimmed" grey, its error red and its light yellow are under 4.5:1 (WCAG AA); the
// tokens' muted ink and state colours are over it.
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--muted)',
    '--mantine-color-error': 'var(--bad)',
    '--mantine-color-text': 'var(--ink)',
    // placeholders (a date picker's "dd/mm/yyyy" too) in the muted ink: Mantine's grey is 2.6:1
    '--mantine-color-placeholder': 'var(--muted)',
    // light alerts and badges in the tokens' state colours (Mantine's yellow is 2:1)
    '--mantine-color-yellow-light': 'var(--warn-bg)',
    '--mantine-color-yellow-light-color': 'var(--warn)',
    '--mantine-color-red-light': 'var(--bad-bg)',
    '--mantine-color-red-light-color': 'var(--bad)',
    // a destructive button (a confirmation's red) in the tokens' red: Mantine's red-6 is 3.3:1
    '--mantine-color-red-filled': 'var(--bad)',
    '--mantine-color-red-filled-hover': 'color-mix(in srgb, var(--bad) 85%, black)',
    '--mantine-color-green-light': 'var(--ok-bg)',
    '--mantine-color-green-light-color': 'var(--ok)',
  },
  dark: {},
});
