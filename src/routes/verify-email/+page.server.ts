import { verifyEmail } from '$lib/server/account-mail';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

/** The landing page of a verification mail: following the link proves the address. */
export const load: PageServerLoad = async ({ url }) => ({ verified: await verifyEmail(getDb(), url.searchParams.get('token') ?? '') });
