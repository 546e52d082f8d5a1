/**
 * The explorer's build (SPEC §12): `npm install` builds it into web/dist, which `tpot serve`
 * serves at `/`; `npm run dev` serves it on :5173 with the API proxied to the server on :5001.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.TPOT_API_URL ?? 'http://127.0.0.1:5001';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/api': api, '/health': api },
  },
  worker: { format: 'es' },
});
