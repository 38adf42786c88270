import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import vuetify from 'vite-plugin-vuetify'

const api = 'http://localhost:8080'

export default defineConfig({
  plugins: [vue(), vuetify({ autoImport: true })],
  server: {
    proxy: {
      '/v1': api,
      '/oauth': api,
      '/docs': api,
      '/healthz': api,
      // The sandbox payment page; with PROTUS_PUBLIC_URL=http://localhost:5173 the way back to
      // the wallet stays on the dev server.
      '/sandbox': api,
    },
  },
})
