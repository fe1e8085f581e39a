import type { TransportPreference } from '../types';
import type { StreamEvent } from './events';
import { parseJsonlLine } from './jsonl';
import { parseResourceLine } from './ndjson';

export type TransportName = 'jsonl' | 'resource' | 'unary';

/** A streaming transport: where to POST the query request and how to read its lines. */
export interface StreamTransport {
  name: Exclude<TransportName, 'unary'>;
  url: string;
  accept: string;
  /** Statuses before the first line that mean "not here": the next transport is tried instead. */
  unavailableStatuses: readonly number[];
  /** Whether a complete stream ends with an explicit end line (else the body's clean end is the end). */
  requiresEndLine: boolean;
  parseLine(line: string): StreamEvent | undefined;
}

/**
 * Grafana's chunked query endpoint: experimental and behind feature toggles. Without the toggles
 * it answers 404 (no such API group) or 406 (JSONL not enabled).
 */
export function jsonlTransport(pluginId: string, namespace: string, uid: string): StreamTransport {
  return {
    name: 'jsonl',
    url: `/apis/${pluginId}.datasource.grafana.app/v0alpha1/namespaces/${namespace}/datasources/${uid}/query`,
    accept: 'text/jsonl',
    unavailableStatuses: [404, 406],
    requiresEndLine: false,
    parseLine: parseJsonlLine,
  };
}

/** The backend's own NDJSON stream; an older backend without it answers 404 (or 501). */
export function resourceTransport(url: string): StreamTransport {
  return {
    name: 'resource',
    url,
    accept: 'application/x-ndjson',
    unavailableStatuses: [404, 501],
    requiresEndLine: true,
    parseLine: parseResourceLine,
  };
}

/** Best first. Unary QueryData ends every list: it works on every Grafana. */
export function transportOrder(preference: TransportPreference | undefined): TransportName[] {
  switch (preference) {
    case 'jsonl':
      return ['jsonl', 'unary'];
    case 'resource':
      return ['resource', 'unary'];
    case 'unary':
      return ['unary'];
    default:
      return ['jsonl', 'resource', 'unary'];
  }
}

/**
 * Which transports a datasource instance still tries. A transport found missing is never tried
 * again by this instance, so only the first query pays for the probe.
 */
export class TransportSelector {
  private readonly unavailable = new Set<TransportName>();

  constructor(private readonly order: TransportName[]) {}

  /** The transport to use now. */
  current(): TransportName {
    return this.order.find((name) => !this.unavailable.has(name)) ?? 'unary';
  }

  markUnavailable(name: TransportName): void {
    if (name !== 'unary') {
      this.unavailable.add(name);
    }
  }
}
