// The browser client: one Vite app with three pages, built into dist/client, which the hub serves on its own
// port: index.html (host console, point console, room display), press.html (the programme's HLS for the
// press) and organiser.html (preparing conferences). `vite --config client/vite.config.ts` serves them for
// development and forwards socket.io and the REST routes to a hub on localhost:8080.
import { fileURLToPath } from 'node:url';
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
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        press: fileURLToPath(new URL('./press.html', import.meta.url)),
        organiser: fileURLToPath(new URL('./organiser.html', import.meta.url)),
      },
    },
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
