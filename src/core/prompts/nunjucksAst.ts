import nunjucks from 'nunjucks';

/** nunjucks' parser is public (`nunjucks.parser`) but untyped; this is the part we use. */
export interface NunjucksNode {
  typename: string;
  lineno: number;
  colno: number;
  fields: string[];
  value?: unknown;
  children?: NunjucksNode[];
  [field: string]: unknown;
}

interface NunjucksParser {
  parse(src: string, extensions?: unknown[], opts?: Record<string, unknown>): NunjucksNode;
}

export function parseNunjucks(body: string): NunjucksNode {
  return (nunjucks as unknown as { parser: NunjucksParser }).parser.parse(body, [], {});
}

export function isNode(value: unknown): value is NunjucksNode {
  return typeof value === 'object' && value !== null && typeof (value as NunjucksNode).typename === 'string';
}
