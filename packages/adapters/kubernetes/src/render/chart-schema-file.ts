import { resolve } from 'node:path';
import { chartValuesSchema } from './chart-values';

export const chartDir = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'deploy',
  'charts',
  'volundr-session',
);
export const chartSchemaPath = resolve(chartDir, 'values.schema.json');
export const chartSchemaText = () => `${JSON.stringify(chartValuesSchema(), null, 2)}\n`;
