import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  // @tongxin/contracts is a symlinked workspace package that exports TypeScript source.
  // Vite resolves the symlink to ../contracts/src and transforms it like our own code;
  // keeping it out of dependency pre-bundling lets edits there hot-reload in dev.
  optimizeDeps: { exclude: ['@tongxin/contracts'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is ~1 MB minified before gzip; the app chunk is split by route below that.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
      '/readyz': { target: backend, changeOrigin: false },
    },
  },
});
