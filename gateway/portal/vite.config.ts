import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The gateway serves dist/ at `/` (boyin_gateway.portal); in development `npm run dev`
// proxies the API to a platform on :8000.
const api = { target: 'http://127.0.0.1:8000', ws: true }

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/graphql': api, '/files': api, '/calendar': api } },
})
