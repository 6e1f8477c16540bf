import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// The cross-origin rule covers every state-changing request whatever its content type,
		// with JSON errors; it lives in src/hooks.server.ts instead of SvelteKit's form-only check.
		csrf: { trustedOrigins: ['*'] },
		// Every page carries this policy; SvelteKit adds a nonce (or a hash) for its own inline
		// scripts. Styles need 'unsafe-inline': Svelte and xyflow set style attributes. Images come
		// from this origin (evidence files) or data:/blob: URLs only, so evidence images hosted
		// elsewhere are shown as links. src/hooks.server.ts adds the origin's ws:/wss: URL to
		// connect-src for the sync socket.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
