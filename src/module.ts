import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import type { SluiceOptions, SluiceQuery } from './types';

/** Query variables are supported through DataSource.variables (CustomVariableSupport). */
export const plugin = new DataSourcePlugin<DataSource, SluiceQuery, SluiceOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
