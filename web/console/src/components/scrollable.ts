/** A table wider than a phone scrolls sideways: its scroll area takes the keyboard's focus and
 * has a name (axe: scrollable-region-focusable). For `Table.ScrollContainer`'s `scrollAreaProps`. */
export function scrollable(name: string) {
  return { viewportProps: { tabIndex: 0, role: 'region', 'aria-label': name } };
}
