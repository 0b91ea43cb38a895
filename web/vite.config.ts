import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The storefront and the admin dashboard: one single-page app built into `web/dist`, which the
 * API server serves from the same origin (`/` and `/admin/*`). Everything is bundled; no CDN.
 * In development, `vite` proxies `/api` to a server started with `PORT=3999`.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: `http://localhost:${process.env['API_PORT'] ?? '3999'}`, changeOrigin: false },
    },
  },
});
