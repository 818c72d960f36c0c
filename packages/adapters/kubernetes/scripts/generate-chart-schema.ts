/**
 * Writes deploy/charts/volundr-session/values.schema.json from the zod schemas of the chart's
 * values. Run after changing the SessionSpec or the runtime settings:
 *   npx tsx packages/adapters/kubernetes/scripts/generate-chart-schema.ts
 * (a test fails while the committed file is out of date).
 */
import { writeFileSync } from 'node:fs';
import { chartSchemaPath, chartSchemaText } from '../src/render/chart-schema-file';

writeFileSync(chartSchemaPath, chartSchemaText());
console.log(`wrote ${chartSchemaPath}`);
