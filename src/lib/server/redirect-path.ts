/** Where a person goes after signing in when no other place is asked for. */
export const DEFAULT_AFTER_SIGN_IN = '/boards';
/** Longest path accepted as a place to go after signing in. */
export const REDIRECT_PATH_MAX_LENGTH = 2048;

/**
 * A path on this site to go to after signing in (e.g. back to an invite link), else the boards.
 * Only a relative path: not `//host` or `/\host`, and no whitespace or control characters a browser
 * would strip (`/\t/host` becomes `//host`).
 */
export function safeRedirectPath(value: string | null | undefined): string {
	if (!value || value.length > REDIRECT_PATH_MAX_LENGTH) return DEFAULT_AFTER_SIGN_IN;
	// eslint-disable-next-line no-control-regex -- control characters are refused in a redirect path
	return /^\/(?![/\\])[^\\\s\x00-\x1f\x7f]*$/.test(value) ? value : DEFAULT_AFTER_SIGN_IN;
}
