// What the stage's /config.js says (the devstack makes it; the packaging step writes it).
declare global {
  interface Window {
    GARANTI_CONFIG?: { apiBase?: string };
  }
}

/** The API's base URL without a trailing slash: `http://127.0.0.1:8000`. */
export const apiBase: string = (window.GARANTI_CONFIG?.apiBase ?? '').replace(/\/+$/, '');
