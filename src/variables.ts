import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { from, Observable } from 'rxjs';
import { map } from 'rxjs/operators';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import type { SluiceVariableQuery } from './types';

/** Query variables: their values come from the backend's `POST resources/variables`. */
export class SluiceVariableSupport extends CustomVariableSupport<DataSource, SluiceVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<SluiceVariableQuery>): Observable<DataQueryResponse> {
    const [query] = request.targets;
    return from(
      this.datasource.metricFindQuery(query ?? { refId: 'variable', query: '' }, {
        scopedVars: request.scopedVars,
        range: request.range,
      })
    ).pipe(map((values) => ({ data: values })));
  }
}
