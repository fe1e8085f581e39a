import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';

import type { DataSource } from '../datasource';
import type { PromQLQuery, SluiceQuery, SyntheticQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// Icons would be fetched over the network; Grafana's plugin scaffold stubs them the same way.
jest.mock('react-inlinesvg', () => ({
  __esModule: true,
  default: ({ src }: { src: string }) => <svg data-testid={src} />,
}));

// jsdom has no canvas; Combobox measures option text with one.
beforeAll(() => {
  jest
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(() => ({ measureText: () => ({ width: 100 }) }) as unknown as CanvasRenderingContext2D);
  // Nor the observers the Combobox menu uses to position and size itself.
  class NoopObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.assign(globalThis, { IntersectionObserver: NoopObserver, ResizeObserver: NoopObserver });
});

/** Grafana owns the query: it feeds every onChange back as the next props. */
function setup(initial: SluiceQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <QueryEditor
        datasource={{} as DataSource}
        query={query}
        onChange={(next) => {
          onChange(next);
          setQuery(next);
        }}
        onRunQuery={onRunQuery}
      />
    );
  }
  render(<Harness />);
  return { onChange, onRunQuery, user: userEvent.setup() };
}

const lastQuery = (onChange: jest.Mock): SluiceQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];
const lastSynthetic = (onChange: jest.Mock) => lastQuery(onChange) as SyntheticQuery;

describe('QueryEditor', () => {
  it('shows the fields of the query type with their values', () => {
    setup({ refId: 'A', queryType: 'synthetic', rows: 1000, seed: 7 });
    expect(screen.getByLabelText(/^Rows/)).toHaveValue('1000');
    expect(screen.getByLabelText(/^Seed/)).toHaveValue('7');
    expect(screen.getByLabelText(/^Chunk rows/)).toHaveValue('');
  });

  it('stores typed integers as numbers and runs on Shift+Enter', async () => {
    const { onChange, onRunQuery, user } = setup({ refId: 'A', queryType: 'synthetic', rows: 1000 });
    const rows = screen.getByLabelText(/^Rows/);
    await user.clear(rows);
    await user.type(rows, '250000');
    expect(lastQuery(onChange)).toEqual({ refId: 'A', queryType: 'synthetic', rows: 250_000 });
    expect(onRunQuery).not.toHaveBeenCalled();
    await user.keyboard('{Shift>}{Enter}{/Shift}');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('runs on blur', async () => {
    const { onRunQuery, user } = setup({ refId: 'A', queryType: 'synthetic', rows: 1000 });
    await user.type(screen.getByLabelText(/^Seed/), '3');
    expect(onRunQuery).not.toHaveBeenCalled();
    await user.tab();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('does not run on a plain Enter', async () => {
    const { onRunQuery, user } = setup({ refId: 'A', queryType: 'synthetic', rows: 1000 });
    await user.type(screen.getByLabelText(/^Rows/), '{Enter}');
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('shows a mistake under its field, keeps what was typed, and does not run', async () => {
    const { onChange, onRunQuery, user } = setup({ refId: 'A', queryType: 'synthetic', rows: 1000 });
    const rows = screen.getByLabelText(/^Rows/);
    await user.type(rows, 'x');
    expect(rows).toHaveValue('1000x');
    expect(lastSynthetic(onChange).rows).toBe('1000x');
    expect(screen.getByText('Must be an integer or a template variable such as $rows')).toBeInTheDocument();
    await user.keyboard('{Shift>}{Enter}{/Shift}');
    await user.tab();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('checks ranges and required fields', async () => {
    const { onChange, user } = setup({ refId: 'A', queryType: 'synthetic', rows: 1000 });
    await user.type(screen.getByLabelText(/^Chunk rows/), '0');
    expect(screen.getByText('Must be between 1 and 1,000,000')).toBeInTheDocument();
    await user.clear(screen.getByLabelText(/^Rows/));
    expect(screen.getByText('Required')).toBeInTheDocument();
    expect(lastQuery(onChange)).not.toHaveProperty('rows');
  });

  it('accepts a template variable where an integer goes', async () => {
    const { onChange, onRunQuery, user } = setup({ refId: 'A', queryType: 'synthetic', rows: 1000 });
    const rows = screen.getByLabelText(/^Rows/);
    await user.clear(rows);
    await user.type(rows, '$rows');
    expect(lastSynthetic(onChange).rows).toBe('$rows');
    expect(screen.queryByText(/Must be/)).not.toBeInTheDocument();
    await user.tab();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('switches the query type to the new type’s defaults, keeping refId and chunkRows, and runs', async () => {
    const unknown = { refId: 'B', queryType: 'logs', chunkRows: 200 } as unknown as SluiceQuery;
    const { onChange, onRunQuery, user } = setup(unknown);
    expect(screen.getByText(/Unknown query type "logs"; choose one of synthetic/)).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Rows/)).not.toBeInTheDocument();

    // The menu is virtualised and jsdom has no layout, so choose with the keyboard as a user can.
    await user.click(screen.getByLabelText(/^Query type/));
    await user.keyboard('Synth{Enter}');

    expect(lastQuery(onChange)).toEqual({ refId: 'B', queryType: 'synthetic', rows: 10_000, seed: 1, chunkRows: 200 });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.getByLabelText(/^Rows/)).toHaveValue('10000');
    expect(screen.queryByText(/Unknown query type/)).not.toBeInTheDocument();
  });
});

describe('QueryEditor: PromQL', () => {
  const promql = (extra: Partial<PromQLQuery> = {}) =>
    ({ refId: 'A', queryType: 'promql', expr: 'up', legendFormat: '__auto', ...extra }) as PromQLQuery;

  it('edits the expression in a text area, runs on blur and on Shift+Enter, not on Enter', async () => {
    const { onChange, onRunQuery, user } = setup(promql({ expr: '' }));
    const expr = screen.getByLabelText(/^Expression/);
    expect(expr.tagName).toBe('TEXTAREA');
    expect(screen.getByText('Required')).toBeInTheDocument();
    // ([[ is how user-event types a literal [.)
    await user.type(expr, 'sum by (job) (rate(x[[5m]))');
    expect(lastQuery(onChange)).toMatchObject({ queryType: 'promql', expr: 'sum by (job) (rate(x[5m]))' });
    // Enter is a new line in an expression.
    await user.keyboard('{Enter}');
    expect(onRunQuery).not.toHaveBeenCalled();
    await user.keyboard('{Shift>}{Enter}{/Shift}');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    await user.tab();
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('shows an empty expression as a mistake that keeps the query from running', async () => {
    const { onRunQuery, user } = setup(promql());
    await user.clear(screen.getByLabelText(/^Expression/));
    expect(screen.getByText('Required')).toBeInTheDocument();
    await user.tab();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('has a legend field that shows Auto when empty and stores __auto for it', async () => {
    const { onChange, user } = setup(promql());
    const legend = screen.getByLabelText(/^Legend/);
    expect(legend).toHaveValue('');
    expect(legend).toHaveAttribute('placeholder', 'Auto');
    await user.type(legend, '{{{{instance}}');
    expect(lastQuery(onChange)).toMatchObject({ legendFormat: '{{instance}}' });
    await user.clear(legend);
    expect(lastQuery(onChange)).toMatchObject({ legendFormat: '__auto' });
  });

  it('checks the min step', async () => {
    const { onChange, onRunQuery, user } = setup(promql());
    const minStep = screen.getByLabelText(/^Min step/);
    await user.type(minStep, 'often');
    expect(screen.getByText(/A duration such as 30s or 1m/)).toBeInTheDocument();
    await user.tab();
    expect(onRunQuery).not.toHaveBeenCalled();
    for (const text of ['30s', '$__rate_interval', '$step']) {
      await user.clear(minStep);
      await user.type(minStep, text);
      expect(screen.queryByText(/A duration such as/)).not.toBeInTheDocument();
    }
    expect(lastQuery(onChange)).toMatchObject({ interval: '$step' });
  });

  it('switches between range and instant keeping the fields, and runs', async () => {
    const { onChange, onRunQuery, user } = setup(promql({ legendFormat: '{{job}}', interval: '1m' }));
    // One entry in the type list, a switch for the variant.
    expect(screen.getByLabelText(/^Query type/)).toHaveValue('PromQL');
    await user.click(screen.getByRole('radio', { name: 'Instant' }));
    expect(lastQuery(onChange)).toEqual({
      refId: 'A',
      queryType: 'promql-instant',
      expr: 'up',
      legendFormat: '{{job}}',
      interval: '1m',
    });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.getByLabelText(/^Query type/)).toHaveValue('PromQL');
    await user.click(screen.getByRole('radio', { name: 'Range' }));
    expect(lastQuery(onChange).queryType).toBe('promql');
  });

  it('starts a PromQL query from the type list with an empty expression and an automatic legend', async () => {
    const { onChange, onRunQuery, user } = setup({ refId: 'A', queryType: 'synthetic', rows: 10 });
    await user.click(screen.getByLabelText(/^Query type/));
    await user.clear(screen.getByLabelText(/^Query type/));
    await user.keyboard('PromQL{Enter}');
    expect(lastQuery(onChange)).toEqual({ refId: 'A', queryType: 'promql', expr: '', legendFormat: '__auto' });
    // Nothing to run yet.
    expect(onRunQuery).not.toHaveBeenCalled();
    expect(screen.getByLabelText(/^Expression/)).toBeInTheDocument();
  });
});
