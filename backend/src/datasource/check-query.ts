import type { QueryModel, QueryType } from './query';
import { parsePromQLQuery } from './promql-query';
import { parseSamplesQuery } from './samples';
import type { DatasourceSettings } from './settings';
import { parseSyntheticQuery } from './synthetic';

/**
 * Parses a query model as running it would, without running it: provisioned dashboards are checked
 * with it. Kept apart from the datasource so that checking needs neither a store nor an engine.
 */
export function checkQueryModel(model: QueryModel & { queryType: QueryType }, settings: DatasourceSettings): void {
  switch (model.queryType) {
    case 'synthetic':
      parseSyntheticQuery(model, settings);
      return;
    case 'samples':
      parseSamplesQuery(model);
      return;
    case 'promql':
    case 'promql-instant':
      parsePromQLQuery(model);
      return;
  }
}
