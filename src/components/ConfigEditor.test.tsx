import type { DataSourceSettings } from '@grafana/data';
import { setBackendSrv } from '@grafana/runtime';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';

import { FakeBackendSrv } from '../testing/fakeBackendSrv';
import type { BackendSettingsResponse, SluiceOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

jest.mock('react-inlinesvg', () => ({
  __esModule: true,
  default: ({ src }: { src: string }) => <svg data-testid={src} />,
}));

const SETTINGS: BackendSettingsResponse = {
  mode: 'sidecar',
  version: '0.1.0',
  settings: {
    chunkRows: 1000,
    maxChunkBytes: 1_048_576,
    flushIntervalMs: 250,
    maxUnaryBytes: 268_435_456,
    maxConcurrentQueries: 4,
    syntheticMaxRows: 100_000_000,
  },
};

let backend: FakeBackendSrv;

beforeEach(() => {
  backend = new FakeBackendSrv();
  backend.onFetch = () => SETTINGS;
  setBackendSrv(backend.asBackendSrv());
});

function options(jsonData: SluiceOptions = {}): DataSourceSettings<SluiceOptions> {
  return {
    id: 1,
    uid: 'sluice-uid',
    orgId: 1,
    name: 'Sluice',
    type: 'sluice-datasource',
    typeName: 'Sluice',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    version: 1,
    jsonData,
    secureJsonFields: {},
  };
}

/** Grafana owns the options: every onOptionsChange comes back as the next props. */
function setup(jsonData: SluiceOptions = {}) {
  const onOptionsChange = jest.fn();
  function Harness() {
    const [current, setCurrent] = useState(options(jsonData));
    return (
      <ConfigEditor
        options={current}
        onOptionsChange={(next) => {
          onOptionsChange(next);
          setCurrent(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { onOptionsChange, user: userEvent.setup() };
}

const lastJsonData = (onOptionsChange: jest.Mock): SluiceOptions =>
  onOptionsChange.mock.calls[onOptionsChange.mock.calls.length - 1][0].jsonData;

describe('ConfigEditor', () => {
  it("shows the backend's mode, version and effective settings, read-only", async () => {
    setup();
    expect(await screen.findByText(/^sidecar: Grafana talks to a Sluice server/)).toBeInTheDocument();
    expect(backend.fetchRequests[0]).toMatchObject({
      method: 'GET',
      url: '/api/datasources/uid/sluice-uid/resources/settings',
    });
    expect(screen.getByText(/Sluice 0\.1\.0/)).toBeInTheDocument();
    const effective = screen.getByLabelText('Effective backend settings');
    expect(effective).toHaveTextContent('syntheticMaxRows: 100,000,000');
    expect(effective).toHaveTextContent('maxChunkBytes: 1,048,576');
    expect(screen.getByText('[plugin.sluice-datasource] sidecar_address = HOST:PORT')).toBeInTheDocument();
  });

  it('says why the mode is unknown when the backend cannot be asked', async () => {
    backend.onFetch = () => {
      throw { status: 404, data: { error: 'no resource GET settings' } };
    };
    setup();
    expect(await screen.findByText('The backend answered HTTP 404: no resource GET settings')).toBeInTheDocument();
    expect(screen.getByText('unknown')).toBeInTheDocument();
  });

  it('saves a typed setting as a number in jsonData', async () => {
    const { onOptionsChange, user } = setup({ maxFrames: 50 });
    await user.type(screen.getByLabelText(/^Chunk rows/), '5000');
    expect(lastJsonData(onOptionsChange)).toEqual({ maxFrames: 50, chunkRows: 5000 });
    await user.type(screen.getByLabelText(/^Max rows per query/), '2000000');
    expect(lastJsonData(onOptionsChange)).toEqual({ maxFrames: 50, chunkRows: 5000, maxRowsPerQuery: 2_000_000 });
  });

  it('removes a cleared setting so the default applies', async () => {
    const { onOptionsChange, user } = setup({ flushIntervalMs: 500 });
    expect(screen.getByLabelText(/^Flush interval/)).toHaveValue('500');
    await user.clear(screen.getByLabelText(/^Flush interval/));
    expect(lastJsonData(onOptionsChange)).toEqual({});
  });

  it.each([
    ['Chunk rows', '0', 'Must be between 1 and 1,000,000'],
    ['Max chunk bytes', '4095', 'Must be between 4,096 and 67,108,864'],
    ['Flush interval', '60001', 'Must be between 10 and 60,000'],
    ['Max unary bytes', '1000', 'Must be between 1,048,576 and 2,147,483,647'],
    ['Max concurrent queries', '65', 'Must be between 1 and 64'],
    ['Max concurrent queries', '2.5', 'Must be an integer'],
  ])('validates %s like the backend: %s', async (label, typed, message) => {
    const { onOptionsChange, user } = setup();
    await user.type(screen.getByLabelText(new RegExp(`^${label}`)), typed);
    expect(screen.getByText(message)).toBeInTheDocument();
    // Kept as typed, so Save & test gets the backend's own error instead of an old value.
    const stored = Object.values(lastJsonData(onOptionsChange))[0];
    expect(String(stored)).toBe(typed);
  });

  it('accepts the edges of each range', async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText(/^Max chunk bytes/), '4096');
    await user.type(screen.getByLabelText(/^Max concurrent queries/), '64');
    expect(screen.queryByText(/Must be/)).not.toBeInTheDocument();
  });

  it('saves the transport preference', async () => {
    const { onOptionsChange, user } = setup();
    expect(screen.getByRole('radio', { name: 'Auto' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'Resource stream' }));
    expect(lastJsonData(onOptionsChange)).toEqual({ transport: 'resource' });
    // The field's description follows the choice (the option's tooltip says the same).
    expect(
      screen.getByText("The plugin's own NDJSON stream, else plain QueryData", { selector: 'span' })
    ).toBeInTheDocument();
  });

  it('asks the backend again after a save', async () => {
    const { rerender } = render(<ConfigEditor options={options()} onOptionsChange={jest.fn()} />);
    await screen.findAllByText(/^sidecar:/);
    rerender(<ConfigEditor options={{ ...options(), version: 2 }} onOptionsChange={jest.fn()} />);
    await screen.findAllByText(/^sidecar:/);
    expect(backend.fetch).toHaveBeenCalledTimes(2);
  });
});
