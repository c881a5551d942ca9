// Builds the design studio into static/studio/dist/ with fixed file names, so the Django template can
// name them with {% static %} (no manifest, no hashes: Django's static storage adds those in production).
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [react()],
  // The bundle is served from /static/studio/dist/. It loads one file of its own at run time: ELK (elkjs, a
  // large layout engine) as editor-elk.bundled.js, the first time someone asks for a layout.
  base: "./",
  build: {
    outDir: here("../static/studio/dist"),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1600, // ELK's chunk is 1.5 MB; it is only fetched for a layout
    target: "es2020",
    rollupOptions: {
      input: here("src/main.tsx"),
      output: {
        entryFileNames: "editor.js",
        chunkFileNames: "editor-[name].js",
        assetFileNames: (asset) => (asset.names?.some((n) => n.endsWith(".css")) ? "editor.css" : "[name][extname]"),
      },
    },
  },
});
