// ESLint: the recommended JavaScript, TypeScript and Svelte rules, Prettier for layout, and the
// import boundaries that keep the journey core framework-free and server code out of the browser.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Modules that only the server may import. */
const SERVER_ONLY = [
	{ group: ['$lib/server', '$lib/server/*', '**/lib/server', '**/lib/server/*'], message: 'Browser code must not import server modules.' }
];

/** What the journey core must stay free of: it is plain TypeScript shared by browser and server. */
const NOT_IN_CORE = [
	{
		group: ['svelte', 'svelte/*', '$app/*', '$env/*', '@sveltejs/*', '**/*.svelte', '**/*.svelte.js'],
		message: 'src/lib/journey/ is framework-free: no Svelte or SvelteKit imports.'
	},
	{ group: ['$lib/server', '$lib/server/*', '**/server/*', '**/server'], message: 'src/lib/journey/ must not import server modules.' },
	{ group: ['node:*'], message: 'src/lib/journey/ runs in the browser too: no node: APIs.' }
];

/**
 * The SQLite-only ways to run a query: services run on PostgreSQL too, so they await queries
 * instead (see src/lib/server/db/index.ts).
 */
const SQLITE_ONLY_CALLS = ['get', 'all', 'run'].map((method) => ({
	selector: `CallExpression[arguments.length=0][callee.property.name='${method}']`,
	message: `.${method}() runs only on SQLite: await the query (\`const [row] = await q.limit(1)\`, \`await q\`).`
}));

export default ts.config(
	{
		ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'test-results/', 'playwright-report/', 'static/', 'drizzle/']
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
			// The app is served at the root (no `paths.base`), so plain links are already resolved.
			'svelte/no-navigation-without-resolve': 'off',
			// Plain Map and Set are used on purpose for caches that must not be reactive (the canvas
			// rebuilds only the nodes whose touchpoint changed); reactive state is declared with $state.
			'svelte/prefer-svelte-reactivity': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{
		// Tests read whatever JSON the server answers; typing every body would only restate the contract.
		files: ['tests/**', 'src/**/*.test.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	},
	{
		files: ['src/lib/journey/**'],
		ignores: ['**/*.test.ts'],
		rules: { 'no-restricted-imports': ['error', { patterns: NOT_IN_CORE }] }
	},
	{
		files: ['src/**'],
		ignores: [
			'src/app.d.ts',
			'src/lib/server/**',
			'src/**/*.server.ts',
			'src/routes/**/+server.ts',
			'src/**/*.test.ts',
			'src/lib/journey/**'
		],
		rules: { 'no-restricted-imports': ['error', { patterns: SERVER_ONLY }] }
	},
	{
		// Code that runs on either database; the SQLite-only stores and statements are exempt.
		files: ['src/lib/server/**', 'src/routes/**', 'src/hooks.server.ts', 'server/**'],
		ignores: [
			'**/*.test.ts',
			'src/lib/server/doc-store.ts',
			'src/lib/server/db/**',
			'server/storage/sqlite-*.ts',
			'server/session-check.ts'
		],
		rules: { 'no-restricted-syntax': ['error', ...SQLITE_ONLY_CALLS] }
	},
	{
		// Every query is a promise: one left unawaited would run out of order and lose its error.
		files: ['src/lib/server/**/*.ts', 'src/routes/**/*.ts', 'src/hooks.server.ts', 'server/**/*.ts'],
		ignores: ['**/*.test.ts'],
		languageOptions: { parserOptions: { projectService: true } },
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			// A promise in a condition is always true: `if (!hasTouchpoint(…))` on an async check would never refuse.
			'@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }]
		}
	}
);
