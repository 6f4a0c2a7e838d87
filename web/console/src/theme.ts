import { colorsTuple, createTheme } from '@mantine/core';

// The shared design tokens (web/shared/tokens.css) carried into Mantine: the brand's primary
// colour, the system font stack (nothing downloaded), the radii.
export const theme = createTheme({
  primaryColor: 'brand',
  colors: { brand: colorsTuple('#0b57d0') },
  primaryShade: 6,
  fontFamily: 'var(--font-sans)',
  fontFamilyMonospace: 'var(--font-mono)',
  headings: { fontFamily: 'var(--font-sans)' },
  defaultRadius: 'md',
});
