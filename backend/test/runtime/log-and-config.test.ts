import { runtimeConfigFromEnv } from '../../src/runtime/config';
import { handshakeLine, hasMagicCookie } from '../../src/runtime/handshake';
import { createLogger } from '../../src/runtime/log';

describe('hclog logger', () => {
  it('writes one JSON object per line with @level, @message, @timestamp and fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) }).with({ refId: 'A' });
    logger.info('hello', { rows: 5n, error: new Error('boom') });
    logger.debug('details');
    expect(lines).toHaveLength(2);
    expect(lines[0].endsWith('\n')).toBe(true);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({
      '@level': 'info',
      '@message': 'hello',
      '@module': 'sluice',
      refId: 'A',
      rows: '5',
      error: 'boom',
    });
    expect(new Date(entry['@timestamp']).getTime()).not.toBeNaN();
  });

  it('drops entries below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (line) => lines.push(line) });
    logger.info('quiet');
    logger.error('loud');
    expect(lines.map((l) => JSON.parse(l)['@message'])).toEqual(['loud']);
  });
});

describe('runtime config', () => {
  it('defaults the receive limit to 16 MiB and reads GF_PLUGIN_ variables', () => {
    expect(runtimeConfigFromEnv({}).maxReceiveMessageBytes).toBe(16 * 1024 * 1024);
    const config = runtimeConfigFromEnv({
      GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE: '33554432',
      GF_PLUGIN_LOG_LEVEL: 'DEBUG',
      GF_PLUGIN_LISTEN_NETWORK: 'unix',
    });
    expect(config).toMatchObject({ maxReceiveMessageBytes: 33554432, logLevel: 'debug', listenNetwork: 'unix' });
  });

  it.each([
    [
      { GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE: 'lots' },
      /GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE=lots must be a whole number/,
    ],
    [{ GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE: '1024' }, /between 4194304 and/],
    [{ GF_PLUGIN_LOG_LEVEL: 'loud' }, /GF_PLUGIN_LOG_LEVEL=loud is not a log level/],
    [{ GF_PLUGIN_LISTEN_NETWORK: 'udp' }, /must be "tcp" or "unix"/],
  ])('rejects %j', (env, message) => {
    expect(() => runtimeConfigFromEnv(env)).toThrow(message);
  });
});

describe('handshake', () => {
  it('is core 1, app 2, network, address, grpc', () => {
    expect(handshakeLine('tcp', '127.0.0.1:1234')).toBe('1|2|tcp|127.0.0.1:1234|grpc\n');
    expect(handshakeLine('unix', '/tmp/x.sock')).toBe('1|2|unix|/tmp/x.sock|grpc\n');
  });

  it('recognises the magic cookie', () => {
    expect(hasMagicCookie({ grafana_plugin_type: 'datasource' })).toBe(true);
    expect(hasMagicCookie({ grafana_plugin_type: 'other' })).toBe(false);
    expect(hasMagicCookie({})).toBe(false);
  });
});
