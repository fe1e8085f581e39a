import { getBackendSrv } from '@grafana/runtime';
import { Alert, Field, Stack, Text } from '@grafana/ui';
import { useEffect, useState } from 'react';

import { messageFromBody } from '../streaming/byteSource';
import type { BackendSettingsResponse } from '../types';
import { formatInteger } from '../validation';

type State =
  | { status: 'loading' }
  | { status: 'loaded'; response: BackendSettingsResponse }
  | { status: 'failed'; message: string };

interface Props {
  /** Unset while the datasource has never been saved: there is no backend instance to ask yet. */
  uid?: string;
  /** Changes on every save, so the effective settings are fetched again. */
  version?: number;
}

const MODES: Record<BackendSettingsResponse['mode'], string> = {
  plugin: 'plugin: Grafana starts the Sluice backend as its plugin process',
  sidecar: 'sidecar: Grafana talks to a Sluice server that runs on its own',
};

/** The backend's mode and effective settings, from `GET resources/settings`; read-only. */
export function BackendStatus({ uid, version }: Props) {
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    if (!uid) {
      setState({ status: 'failed', message: 'Save the datasource to see the backend it runs on.' });
      return;
    }
    setState({ status: 'loading' });
    const subscription = getBackendSrv()
      .fetch<BackendSettingsResponse>({
        url: `/api/datasources/uid/${uid}/resources/settings`,
        method: 'GET',
        showErrorAlert: false,
      })
      .subscribe({
        next: (response) => setState({ status: 'loaded', response: response.data }),
        error: (error: unknown) => setState({ status: 'failed', message: fetchErrorMessage(error) }),
      });
    return () => subscription.unsubscribe();
  }, [uid, version]);

  return (
    <Stack direction="column" gap={1}>
      <Field
        label="Backend mode"
        description={
          <>
            Read-only. Sidecar mode is chosen in grafana.ini, not here:{' '}
            <code>[plugin.sluice-datasource] sidecar_address = HOST:PORT</code> (restart Grafana after changing it).
          </>
        }
      >
        <div aria-live="polite">{modeText(state)}</div>
      </Field>
      {state.status === 'loaded' && <EffectiveSettings response={state.response} />}
      {state.status === 'failed' && (
        <Alert severity="info" title="Backend settings unavailable">
          {state.message}
        </Alert>
      )}
    </Stack>
  );
}

function modeText(state: State): string {
  switch (state.status) {
    case 'loading':
      return 'Asking the backend…';
    case 'failed':
      return 'unknown';
    case 'loaded':
      return MODES[state.response.mode] ?? String(state.response.mode ?? 'unknown');
  }
}

/** What the saved datasource runs with: defaults filled in, ini overrides applied by the backend. */
function EffectiveSettings({ response }: { response: BackendSettingsResponse }) {
  const settings = response.settings ?? {};
  return (
    <div>
      <Text element="p" color="secondary">
        Sluice {response.version ?? '(unknown version)'}; effective settings of the saved datasource:
      </Text>
      <dl aria-label="Effective backend settings">
        {Object.entries(settings).map(([name, value]) => (
          <div key={name}>
            <dt style={{ display: 'inline' }}>{name}: </dt>
            <dd style={{ display: 'inline', margin: 0 }}>
              {typeof value === 'number' ? formatInteger(value) : String(value)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function fetchErrorMessage(error: unknown): string {
  const { status, data } = (error ?? {}) as { status?: number; data?: unknown };
  const message = messageFromBody(data) ?? (error instanceof Error ? error.message : 'no answer');
  return status ? `The backend answered HTTP ${status}: ${message}` : `The backend could not be asked: ${message}`;
}
