// The browser client: one Vite app (host console, point console, room display) built into dist/client,
// which the hub serves on its own port. `vite --config client/vite.config.ts` serves it for development
// and forwards socket.io and the REST routes to a hub on localhost:8080.
import { defineConfig } from 'vite';

const hub = process.env.DIEMCAU_HUB_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: 'client',
  base: '/',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    fs: { allow: ['..'] },
    proxy: {
      '/socket.io': { target: hub, ws: true },
      '/api': { target: hub },
      '/healthz': { target: hub },
    },
  },
});
