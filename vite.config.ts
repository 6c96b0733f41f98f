import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The renderer builds to dist/renderer; the host (src-main/host) and the Electron shell serve it.
export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // A desktop app loaded from local disk: one ~1.3 MB bundle (React + antd) is fine.
    chunkSizeWarningLimit: 2000,
  },
});
