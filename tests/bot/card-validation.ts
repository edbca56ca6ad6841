import * as AC from 'adaptivecards';
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The official Adaptive Card 1.5 JSON schema (a copy of shared/reference, kept with the tests).
const schemaPath = path.resolve(__dirname, '../support/adaptive-card-1.5.schema.json');
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft06);
// The schema's two formats, checked with the WHATWG URL parser (ajv-formats is not a dependency).
ajv.addFormat('uri', (value: string) => URL.canParse(value));
ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'https://base.example/'));
// The official file names itself with draft-04's `id`; ajv 8 wants `$id` (same meaning in draft-06).
const { id: schemaId, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<
  string,
  unknown
>;
const validateSchema = ajv.compile({ ...schema, $id: String(schemaId) });

/** Problems the official 1.5 JSON schema and the `adaptivecards` renderer report for a card (empty = valid). */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  if (!validateSchema(card)) {
    for (const error of validateSchema.errors ?? []) {
      problems.push(`schema ${error.instancePath} ${error.message ?? ''}`);
    }
  }
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card as AC.PropertyBag, context);
  for (let i = 0; i < context.eventCount; i += 1) {
    problems.push(`parse ${context.getEventAt(i).message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    problems.push(`validate ${event.message}`);
  }
  return problems;
}
