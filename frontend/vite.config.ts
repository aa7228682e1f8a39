/// <reference types="vitest/config" />
// One build, two pages: the SPA (index.html) and the GraphiQL page (graphiql.html) the gateway
// serves at GET /graphql. Everything is bundled from npm: no request leaves the machine.
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [vue(), react({ include: /src\/graphiql\/.*\.tsx?$/ })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Inlined assets would become data: URLs; files keep the CSP at 'self'.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      // react-compiler-runtime's "use no memo" directive only matters to React's compiler.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
      },
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        graphiql: resolve(import.meta.dirname, 'graphiql.html'),
      },
    },
  },
  server: {
    // `npm run dev`: the gateway of `make run` answers the API.
    proxy: {
      '/graphql': { target: process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000', ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
  },
})
