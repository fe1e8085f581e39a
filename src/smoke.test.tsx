import { render, screen } from '@testing-library/react';
import { Button } from '@grafana/ui';
import { dateTime } from '@grafana/data';

test('grafana packages render under jest', () => {
  render(<Button>Run {dateTime(0).utc().format('YYYY')}</Button>);
  expect(screen.getByText('Run 1970')).toBeInTheDocument();
});
