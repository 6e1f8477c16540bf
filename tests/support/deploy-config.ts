/** The shipped deploy/haproxy.cfg, pointed at processes a test started. */
import { readFileSync } from 'node:fs';

export const DEPLOY_HAPROXY_CONFIG = 'deploy/haproxy.cfg';

/**
 * deploy/haproxy.cfg with its frontend on 127.0.0.1:`port` and `processPorts` as its processes
 * (app1, app2, … in both backends), for `startHaproxy((port) => deployHaproxyConfig(port, ports))`.
 * It runs as the test's user, logging nowhere, within the test's file descriptor limit (HAProxy
 * wants two per connection of `maxconn`); the routing, checks and timeouts are the file as shipped.
 */
export function deployHaproxyConfig(port: number, processPorts: readonly number[]): string {
	const out: string[] = [];
	let listed = 0;
	for (const line of readFileSync(DEPLOY_HAPROXY_CONFIG, 'utf8').split('\n')) {
		if (/^\s*(user|group|log \/dev\/log|maxconn)\b/.test(line)) continue;
		const server = /^(\s*server app(\d+)) \S+(.*)$/.exec(line);
		if (server) {
			listed = Math.max(listed, Number(server[2]));
			const processPort = processPorts[Number(server[2]) - 1];
			if (processPort !== undefined) out.push(`${server[1]} 127.0.0.1:${processPort}${server[3]}`);
			continue;
		}
		if (/^\s*bind :80\s*$/.test(line)) {
			out.push(`\tbind 127.0.0.1:${port}`);
			continue;
		}
		out.push(line);
	}
	if (processPorts.length > listed) throw new Error(`${DEPLOY_HAPROXY_CONFIG} lists ${listed} processes, not ${processPorts.length}`);
	const config = out.join('\n');
	if (!config.includes(`bind 127.0.0.1:${port}`))
		throw new Error(`${DEPLOY_HAPROXY_CONFIG} no longer binds :80; update deployHaproxyConfig`);
	return config;
}
