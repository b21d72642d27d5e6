import { z } from 'zod';

export type JsonObject = Record<string, unknown>;

/** JSON Schema (2020-12) of a contract schema, as an OpenAPI 3.1 component. */
export function component(schema: z.ZodType): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;
  return rest;
}

/** A reference to the component schema `name`. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
