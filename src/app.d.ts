import type { Locale } from '$lib/i18n';
import type { Session, SessionUser } from '$lib/server/session';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			locale: Locale;
			/** Set when the request failed on storage (disk full, database failing): it answers 507. */
			storageFailed?: boolean;
		}
	}
}

export {};
