import * as client from 'openid-client';
import { z } from 'zod';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../accounts';
import { isLoopbackHttp, publicOrigin, readConfig, type OidcConfig } from '../config';
import type { Db } from '../db';
import { SingleUseStore } from './single-use-store';

/** The callback path registered at the provider: `ORIGIN` + this is the redirect URI. */
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
/** What the workspace asks the provider for: the subject, a verified email and a display name. */
export const OIDC_SCOPES = 'openid email profile';
/** The cookie naming this browser's sign-in in progress (HttpOnly, SameSite=Lax, path of the callback). */
export const OIDC_FLOW_COOKIE = 'oidc_flow';
/** How long a person may take at the provider between the button and the callback. */
export const OIDC_FLOW_TTL_MS = 10 * 60 * 1000;
/** Sign-ins in progress kept at once; the oldest are dropped past it. */
export const OIDC_FLOWS_MAX = 10_000;
/** How long the provider may take to answer discovery, token and userinfo requests. */
export const OIDC_REQUEST_TIMEOUT_SECONDS = 10;
/** Longest `sub` accepted (OpenID Connect Core: at most 255 ASCII characters). */
export const OIDC_SUBJECT_MAX_LENGTH = 255;

/** A sign-in in progress: the checks the callback must find, and where to go after it. */
interface Flow {
	state: string;
	nonce: string;
	codeVerifier: string;
	redirectTo: string;
}

const flows = new SingleUseStore<Flow>('oidc-flow', OIDC_FLOW_TTL_MS, OIDC_FLOWS_MAX);

/** The provider's single sign-on settings, or null when single sign-on is not configured. */
export function oidcSettings(): OidcConfig | null {
	return readConfig().oidc;
}

let discovered: { key: string; configuration: Promise<client.Configuration> } | null = null;

/**
 * The provider's configuration from its discovery document (fetched once; again after a failure).
 * openid-client checks that the document names the configured issuer.
 */
function providerConfiguration(settings: OidcConfig): Promise<client.Configuration> {
	const key = `${settings.issuer}\n${settings.clientId}`;
	if (discovered?.key === key) return discovered.configuration;
	const issuer = new URL(settings.issuer);
	const insecure = isLoopbackHttp(issuer);
	const configuration = client
		.discovery(issuer, settings.clientId, undefined, undefined, {
			timeout: OIDC_REQUEST_TIMEOUT_SECONDS,
			execute: insecure ? [client.allowInsecureRequests] : []
		})
		.then((found) => {
			const metadata = found.serverMetadata();
			const methods = metadata.token_endpoint_auth_methods_supported;
			// client_secret_basic is the default every provider supports unless it says otherwise.
			const auth =
				!methods || methods.includes('client_secret_basic')
					? client.ClientSecretBasic(settings.clientSecret)
					: client.ClientSecretPost(settings.clientSecret);
			const configuration = new client.Configuration(metadata, settings.clientId, { client_secret: settings.clientSecret }, auth);
			configuration.timeout = OIDC_REQUEST_TIMEOUT_SECONDS;
			if (insecure) client.allowInsecureRequests(configuration);
			// The ID token's signature is checked against the provider's published keys, not only TLS.
			client.enableNonRepudiationChecks(configuration);
			return configuration;
		});
	discovered = { key, configuration };
	configuration.catch(() => {
		if (discovered?.configuration === configuration) discovered = null;
	});
	return configuration;
}

/** The redirect URI registered at the provider. */
export function callbackUrl(): string {
	return publicOrigin() + OIDC_CALLBACK_PATH;
}

/**
 * Begins a sign-in: the provider's authorization URL (code flow, PKCE S256, state, nonce) and the
 * token of the flow for this browser's cookie. Throws when the provider cannot be discovered.
 */
export async function beginOidcSignIn(db: Db, settings: OidcConfig, redirectTo: string): Promise<{ url: URL; flowToken: string }> {
	const configuration = await providerConfiguration(settings);
	const codeVerifier = client.randomPKCECodeVerifier();
	const flow: Flow = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier, redirectTo };
	const url = client.buildAuthorizationUrl(configuration, {
		redirect_uri: callbackUrl(),
		scope: OIDC_SCOPES,
		response_type: 'code',
		code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
		code_challenge_method: 'S256',
		state: flow.state,
		nonce: flow.nonce
	});
	return { url, flowToken: await flows.put(db, flow) };
}

/** Who the provider says signed in, from validated claims only. */
export interface OidcIdentity {
	issuer: string;
	subject: string;
	/** Lower-cased; null when the provider gave none. */
	email: string | null;
	emailVerified: boolean;
	/** A display name of 1–80 characters. */
	name: string;
}

export type OidcCallbackResult =
	{ ok: true; identity: OidcIdentity; redirectTo: string } | { ok: false; reason: 'expired' | 'denied' | 'invalid' | 'unavailable' };

/**
 * Finishes a sign-in at the callback: the flow of this browser is used up (a second callback with
 * it is refused), then openid-client checks state, issuer, the code exchange with the PKCE
 * verifier, the ID token's signature, issuer, audience, expiry and nonce. Claims missing from the
 * ID token are read from the userinfo endpoint, whose `sub` must match.
 */
export async function finishOidcSignIn(
	db: Db,
	settings: OidcConfig,
	flowToken: string | undefined,
	search: string
): Promise<OidcCallbackResult> {
	const flow = await flows.take(db, flowToken);
	if (!flow) return { ok: false, reason: 'expired' };
	let configuration: client.Configuration;
	try {
		configuration = await providerConfiguration(settings);
	} catch (error) {
		console.error('single sign-on: provider discovery failed:', describe(error));
		return { ok: false, reason: 'unavailable' };
	}
	const params = new URLSearchParams(search);
	if (params.has('error')) {
		// The person cancelled, or the provider refused them: nothing else in the answer is used.
		return { ok: false, reason: 'denied' };
	}
	const currentUrl = new URL(callbackUrl());
	for (const [key, value] of params) currentUrl.searchParams.append(key, value);
	try {
		const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
			pkceCodeVerifier: flow.codeVerifier,
			expectedState: flow.state,
			expectedNonce: flow.nonce,
			idTokenExpected: true
		});
		const claims = tokens.claims();
		if (!claims) return { ok: false, reason: 'invalid' };
		let merged: Record<string, unknown> = { ...claims };
		if ((claims.email === undefined || (claims.email_verified === undefined && claims.xms_edov === undefined)) && tokens.access_token) {
			merged = await withUserInfo(configuration, tokens.access_token, claims.sub, merged);
		}
		const identity = identityOf(String(claims.iss), merged);
		return identity ? { ok: true, identity, redirectTo: flow.redirectTo } : { ok: false, reason: 'invalid' };
	} catch (error) {
		console.error('single sign-on: the provider answer was refused:', describe(error));
		return { ok: false, reason: 'invalid' };
	}
}

/** The ID token's claims completed with userinfo's, when the provider has that endpoint. */
async function withUserInfo(
	configuration: client.Configuration,
	accessToken: string,
	subject: string,
	claims: Record<string, unknown>
): Promise<Record<string, unknown>> {
	if (!configuration.serverMetadata().userinfo_endpoint) return claims;
	// openid-client refuses a userinfo answer about another subject.
	const info = await client.fetchUserInfo(configuration, accessToken, subject);
	return { ...info, ...claims, email: claims.email ?? info.email, email_verified: claims.email_verified ?? info.email_verified };
}

const emailClaim = z.string().trim().toLowerCase().max(EMAIL_MAX_LENGTH).pipe(z.email());

/** The identity in validated claims, or null when `sub` is unusable. */
export function identityOf(issuer: string, claims: Record<string, unknown>): OidcIdentity | null {
	const subject = claims.sub;
	if (typeof subject !== 'string' || subject.length === 0 || subject.length > OIDC_SUBJECT_MAX_LENGTH) return null;
	const email = emailClaim.safeParse(claims.email);
	// Entra ID states no email_verified; its optional claim xms_edov says the domain owner verified it.
	const emailVerified = claims.email_verified === true || (claims.email_verified === undefined && claims.xms_edov === true);
	const address = email.success ? email.data : null;
	return { issuer, subject, email: address, emailVerified, name: displayName(claims, address) };
}

/** A display name from the claims: `name`, else given and family names, else the email's local part. */
function displayName(claims: Record<string, unknown>, email: string | null): string {
	const text = (value: unknown) => (typeof value === 'string' ? cleanName(value) : '');
	const candidates = [
		text(claims.name),
		[text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' '),
		text(claims.preferred_username),
		email ? email.split('@')[0] : ''
	];
	return candidates.find((name) => name.length > 0) ?? 'SSO user';
}

/** Control, zero-width and text-direction characters: they never belong in a display name. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Invisible characters dropped, whitespace collapsed, cut to the longest name an account may have. */
function cleanName(value: string): string {
	const cleaned = value.replace(INVISIBLE_CHARACTERS, '').replace(/\s+/g, ' ').trim();
	const characters = Array.from(cleaned);
	// Whole characters only: never half of a surrogate pair.
	while (characters.join('').length > NAME_MAX_LENGTH) characters.pop();
	return characters.join('').trim();
}

function describe(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const code = (error as { code?: unknown }).code;
	return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
