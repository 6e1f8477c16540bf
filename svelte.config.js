import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// The cross-origin rule covers every state-changing request whatever its content type,
		// with JSON errors; it lives in src/hooks.server.ts instead of SvelteKit's form-only check.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
