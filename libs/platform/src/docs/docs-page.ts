import type { OpenApiObject } from './openapi';

// A small server-rendered page rather than Swagger UI: nothing to download at run time, no
// script, and no telemetry package (swagger-ui-dist ships one) in the product's dependencies.

interface Operation {
  readonly summary?: string;
  readonly description?: string;
  readonly security?: readonly object[];
  readonly requestBody?: { readonly content: Record<string, { readonly example?: unknown }> };
  readonly responses: Record<string, { readonly description: string; readonly content?: Record<string, { readonly schema?: { $ref?: string }; readonly example?: unknown }> }>;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Escapes, then renders the descriptions' `code` spans. */
const prose = (text = '') => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const shown = (example: unknown) => (typeof example === 'string' ? example : JSON.stringify(example, null, 2));

const schemaLink = (ref: string | undefined) => {
  const name = ref?.split('/').pop();
  return name ? ` <a href="#schema-${escape(name)}">${escape(name)}</a>` : '';
};

function operationHtml(path: string, method: string, op: Operation): string {
  const body = Object.entries(op.requestBody?.content ?? {})
    .map(([type, media]) => `<h4>Request <code>${escape(type)}</code></h4>${media.example !== undefined ? `<pre>${escape(shown(media.example))}</pre>` : ''}`)
    .join('');
  const responses = Object.entries(op.responses)
    .map(([status, response]) => {
      const media = Object.entries(response.content ?? {})
        .map(([type, m]) => `<code>${escape(type)}</code>${schemaLink(m.schema?.$ref)}${m.example !== undefined ? `<pre>${escape(shown(m.example))}</pre>` : ''}`)
        .join('');
      return `<tr><td><b>${escape(status)}</b></td><td>${prose(response.description)}<br>${media}</td></tr>`;
    })
    .join('');
  const key = op.security ? '<p><i>Needs an API key when API_KEYS is set.</i></p>' : '';
  return (
    `<section><h2><code>${method.toUpperCase()} ${escape(path)}</code></h2><p><b>${prose(op.summary)}</b></p>` +
    `<p>${prose(op.description)}</p>${key}${body}<h4>Responses</h4><table>${responses}</table></section>`
  );
}

/** The OpenAPI document as one readable HTML page (GET /docs). */
export function renderDocsPage(doc: OpenApiObject): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
  const operations = Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => operationHtml(path, method, op)));
  const schemaList = Object.entries(schemas)
    .map(([name, schema]) => `<details id="schema-${escape(name)}"><summary><code>${escape(name)}</code></summary><pre>${escape(shown(schema))}</pre></details>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
pre{background:#f5f5f5;padding:.6rem;overflow:auto;font-size:13px}code{background:#f0f0f0;padding:0 .2rem}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #ddd;padding:.4rem;vertical-align:top}
section{border-bottom:2px solid #eee;padding-bottom:1rem}</style></head>
<body><h1>${escape(info.title)} <small>v${escape(info.version)}</small></h1><p>${prose(info.description)}</p>
<p>Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a> (OpenAPI 3.1).</p>
${operations.join('\n')}
<h2>Schemas</h2>${schemaList}
</body></html>
`;
}
