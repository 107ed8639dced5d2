/** A self-contained HTML page that renders the OpenAPI document (no CDN: it works offline). */

export function docsPage(doc: Record<string, unknown>): string {
  const info = doc['info'] as { title: string; version: string; description: string };
  const paths = doc['paths'] as Record<string, Record<string, { summary: string; tags: string[]; 'x-verdict-scope'?: string; requestBody?: unknown; parameters?: Array<{ name: string; in: string; description?: string }>; responses: Record<string, { description?: string }> }>>;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []).map((p) => `<li><code>${esc(p.name)}</code> (${p.in})${p.description ? ` — ${esc(p.description)}` : ''}</li>`).join('');
      const body = op.requestBody ? `<details><summary>request body schema</summary><pre>${esc(JSON.stringify((op.requestBody as { content: Record<string, { schema: unknown }> }).content['application/json']?.schema, null, 2))}</pre></details>` : '';
      const responses = Object.entries(op.responses).map(([s, r]) => `<li><code>${s}</code> ${esc(r.description ?? 'see components')}</li>`).join('');
      const html = `<section><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3><p>${esc(op.summary)}${op['x-verdict-scope'] ? ` <span class="scope">scope: ${op['x-verdict-scope']}</span>` : ' <span class="scope">no key needed</span>'}</p>${params ? `<ul>${params}</ul>` : ''}${body}<ul class="r">${responses}</ul></section>`;
      const tag = op.tags[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="${esc(tag)}">${esc(tag)}</h2>${ops.join('')}`).join('');
  const nav = [...byTag.keys()].map((t) => `<a href="#${esc(t)}">${esc(t)}</a>`).join(' · ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)} API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2330}
code,pre{font-family:ui-monospace,monospace}pre{background:#f4f5f7;padding:.75rem;overflow:auto}
section{border-top:1px solid #e3e5e8;padding:.5rem 0}.m{display:inline-block;min-width:4.5em;font-size:.8em;padding:.1em .4em;border-radius:3px;color:#fff;background:#555}
.get{background:#2b6cb0}.post{background:#2f855a}.put{background:#b7791f}.patch{background:#805ad5}.delete{background:#c53030}.scope{color:#666;font-size:.85em}
</style></head><body><h1>${esc(info.title)} <small>${esc(info.version)}</small></h1><p>${esc(info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1)</p><nav>${nav}</nav>${sections}</body></html>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
