import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Served by the gateway under /app/ (gateway/src/web-app.ts); routes are loaded on demand. */
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // the gateway's Content-Security-Policy allows no inline script: nothing is inlined as data: URLs either
    assetsInlineLimit: 0,
  },
});
