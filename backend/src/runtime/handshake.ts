import { writeSync } from 'node:fs';

/** go-plugin's magic cookie: Grafana sets it so a plugin started by hand can say so. */
export const MAGIC_COOKIE_KEY = 'grafana_plugin_type';
export const MAGIC_COOKIE_VALUE = 'datasource';

/** go-plugin core protocol 1, Grafana's plugin protocol 2. */
export const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 2;

export type ListenNetwork = 'tcp' | 'unix';

export function hasMagicCookie(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

export const MISSING_COOKIE_MESSAGE =
  'This binary is a plugin. These are not meant to be executed directly. ' +
  'Please execute the program that consumes these plugins, which will load any plugins automatically ' +
  `(Grafana sets ${MAGIC_COOKIE_KEY}=${MAGIC_COOKIE_VALUE}); ` +
  'to run Sluice on its own use --listen HOST:PORT (sidecar mode).';

export function handshakeLine(network: ListenNetwork, address: string): string {
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|${network}|${address}|grpc\n`;
}

/**
 * The one write to stdout the backend ever makes. Synchronous, so the line is complete before
 * anything else can happen: go-plugin rejects the plugin if anything precedes it.
 */
export function announceHandshake(network: ListenNetwork, address: string): void {
  writeSync(1, handshakeLine(network, address));
}
