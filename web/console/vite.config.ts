import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is static files: `vite build` writes dist/, which the devstack serves on its own
// port and `make package` will put in the console's bucket. Nothing is loaded from a CDN.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: { fs: { allow: ['..'] } }, // web/shared/tokens.css
});
