/**
 * A real OpenID Connect provider on loopback for the single sign-on tests: panva's `oidc-provider`
 * (certified by the OpenID Foundation) with one confidential client for the workspace, people the
 * test adds (verified email or not), and a tiny login page of its own (a form with the person's
 * id) that a browser fills in or `signInAt` posts. Consent is given on the client's behalf, as a
 * company's provider does for its own applications.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export const OIDC_CLIENT_ID = 'journey-workspace';
export const OIDC_CLIENT_SECRET = 'a client secret of the test provider';

/** A person at the provider. */
export interface ProviderUser {
	sub: string;
	email?: string;
	email_verified?: boolean;
	name?: string;
}

export interface TestProvider {
	/** `http://127.0.0.1:<port>`, the issuer identifier. */
	readonly issuer: string;
	/** The provider itself, once `register` made it. */
	readonly provider: Provider;
	/**
	 * Makes the provider, its client sending people back to `redirectUri`. Separate from the start:
	 * the app is given the issuer when it starts, and only then knows its own origin.
	 */
	register(redirectUri: string): void;
	/** Adds or replaces a person. */
	addUser(user: ProviderUser): void;
	/** The next token response carries this ID token instead of the provider's own (a forged answer). */
	replaceNextIdToken(idToken: string): void;
	close(): Promise<void>;
}

/**
 * Starts a provider on a loopback port. `idTokenClaims`: whether email and profile claims are in
 * the ID token (as Keycloak and Google put them) or only at the userinfo endpoint.
 */
export async function startProvider(options: { idTokenClaims?: boolean; pkceRequired?: boolean } = {}): Promise<TestProvider> {
	const users = new Map<string, ProviderUser>();
	let forgedIdToken: string | null = null;
	let provider: Provider | null = null;
	const server: Server = createServer((request, response) => {
		void route(request, response).catch((error) => {
			response.statusCode = 500;
			response.end(String(error));
		});
	});
	async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://provider');
		const login = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
		if (!provider) throw new Error('provider not started');
		if (!login) return provider.callback()(request, response);
		const details = await provider.interactionDetails(request, response);
		if (request.method === 'GET') {
			response.setHeader('content-type', 'text/html; charset=utf-8');
			response.end(
				`<!doctype html><html lang="en"><head><title>Test provider sign-in</title></head><body><main><h1>Test provider</h1>` +
					`<form method="post" action="/interaction/${details.uid}/login"><label>Provider user <input name="login" autocomplete="off"></label>` +
					`<button type="submit">Continue at the provider</button></form></main></body></html>`
			);
			return;
		}
		const body = new URLSearchParams(await text(request));
		const accountId = body.get('login') ?? '';
		const result = users.has(accountId) ? { login: { accountId } } : { error: 'access_denied', error_description: 'unknown user' };
		await provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false });
	}
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const configure = (redirectUri: string): Configuration => ({
		clients: [
			{
				client_id: OIDC_CLIENT_ID,
				client_secret: OIDC_CLIENT_SECRET,
				redirect_uris: [redirectUri],
				grant_types: ['authorization_code'],
				response_types: ['code'],
				token_endpoint_auth_method: 'client_secret_basic'
			}
		],
		pkce: { required: () => options.pkceRequired ?? true },
		claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
		conformIdTokenClaims: !(options.idTokenClaims ?? true),
		cookies: { keys: ['test provider cookie key'] },
		// A signing key of this provider's own: two providers must not share the development key.
		jwks: {
			keys: [
				{
					...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
					kid: 'test-signing-key',
					use: 'sig',
					alg: 'RS256'
				}
			]
		},
		ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
		features: { devInteractions: { enabled: false } },
		interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
		async findAccount(_ctx, sub) {
			const user = users.get(sub);
			if (!user) return undefined;
			return { accountId: sub, claims: async () => ({ ...user }) };
		},
		// The provider's own application: consent is implied, as an administrator grants it.
		async loadExistingGrant(ctx: KoaContextWithOIDC) {
			const { Grant } = ctx.oidc.provider;
			const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
			if (grantId) return Grant.find(grantId);
			const grant = new Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
			grant.addOIDCScope('openid email profile');
			await grant.save();
			return grant;
		}
	});

	return {
		issuer,
		get provider() {
			if (!provider) throw new Error('register the client first');
			return provider;
		},
		register(redirectUri) {
			const made = new Provider(issuer, configure(redirectUri));
			made.use(async (ctx, next) => {
				await next();
				if (ctx.path === '/token' && forgedIdToken && ctx.body && typeof ctx.body === 'object' && 'id_token' in ctx.body) {
					ctx.body = { ...ctx.body, id_token: forgedIdToken };
					forgedIdToken = null;
				}
			});
			made.on('server_error', (_ctx, error) => console.error('test provider:', error));
			provider = made;
		},
		addUser: (user) => users.set(user.sub, user),
		replaceNextIdToken: (idToken) => (forgedIdToken = idToken),
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

function text(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => resolve(body));
		request.on('error', reject);
	});
}
