/**
 * The campaign report page's HTML: Handlebars templates over the page view (view.ts). Handlebars escapes
 * every `{{value}}` for HTML text and attributes, and these templates use no triple-stash `{{{…}}}`: a
 * campaign's or creator's name cannot become markup. Compiled in strict mode with only the built-in
 * helpers, like the media kit's. The charts are SVG from numbers pages/charts.ts computed; the page has no
 * script at all.
 */
import Handlebars from 'handlebars';
import { strictContentSecurityPolicy, styleHashOf } from '../pages/csp';
import type { ReportPageView } from './view';

/** Inline, so the page loads nothing at all; its hash is what the CSP allows. */
const CSS = `
:root{--ink:#1d2433;--muted:#5b6478;--line:#e3e7ef;--paper:#fff;--bg:#f3f5f9;--accent:#4f46e5;--accent-soft:#e9e8fd;--clicks:#4f46e5;--orders:#0f766e;--spend:#d97706;--revenue:#4f46e5;--positive:#16a34a;--neutral:#94a3b8;--negative:#dc2626}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:64rem;margin:0 auto;padding:1.5rem 1rem 2rem}
.card{background:var(--paper);border:1px solid var(--line);border-radius:1rem;padding:1.25rem;margin-bottom:1rem;box-shadow:0 1px 2px rgba(16,24,40,.04)}
header.card{background:linear-gradient(135deg,#eef0ff 0%,#fff 60%)}
.eyebrow{margin:0 0 .25rem;color:var(--muted);font-size:.8rem;letter-spacing:.08em;text-transform:uppercase}
h1{font-size:1.75rem;line-height:1.2;margin:0;overflow-wrap:anywhere}
.facts{display:flex;flex-wrap:wrap;gap:.375rem .75rem;list-style:none;margin:.625rem 0 0;padding:0;color:var(--muted);font-size:.95rem}
.status{border-radius:999px;padding:0 .625rem;font-weight:600;background:#e5e7eb;color:#374151}
.status-active{background:#dcfce7;color:#166534}.status-paused{background:#fef3c7;color:#92400e}.status-completed{background:var(--accent-soft);color:#3730a3}.status-cancelled{background:#fee2e2;color:#991b1b}
.intervals{display:flex;gap:.5rem;margin-top:.875rem}
.intervals a,.intervals span{border:1px solid var(--line);border-radius:999px;padding:.125rem .75rem;font-size:.9rem;text-decoration:none;color:var(--accent);background:#fff}
.intervals span{background:var(--accent);border-color:var(--accent);color:#fff;font-weight:600}
h2{font-size:.8rem;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);margin:0 0 .875rem}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(10.5rem,1fr));gap:.75rem;margin:0}
.figure{border:1px solid var(--line);border-radius:.75rem;padding:.75rem .875rem;margin:0;min-width:0}
.figure dt{color:var(--muted);font-size:.85rem}
.figure dd{margin:0}
.figure .value{display:block;font-size:1.5rem;font-weight:700;line-height:1.25;overflow-wrap:anywhere}
.figure .note{display:block;color:var(--muted);font-size:.8rem}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr));gap:1rem 1.5rem}
figure.chart{margin:0;min-width:0}
figure.chart figcaption{font-weight:600;margin-bottom:.375rem}
svg{display:block;width:100%;height:auto}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--muted)}
svg.stacked{height:1.75rem;border-radius:.375rem}
svg .grid{stroke:var(--line);stroke-width:1}
svg .zero{stroke:#9aa3b5;stroke-width:1}
.bar.clicks,.swatch.clicks{fill:var(--clicks);background:var(--clicks)}
.bar.orders,.swatch.orders{fill:var(--orders);background:var(--orders)}
.bar.spend,.swatch.spend{fill:var(--spend);background:var(--spend)}
.bar.revenue,.swatch.revenue{fill:var(--revenue);background:var(--revenue)}
.part.positive,.swatch.positive{fill:var(--positive);background:var(--positive)}
.part.neutral,.swatch.neutral{fill:var(--neutral);background:var(--neutral)}
.part.negative,.swatch.negative{fill:var(--negative);background:var(--negative)}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:.5rem 0 0;padding:0;font-size:.85rem;color:var(--muted)}
.swatch{display:inline-block;width:.75rem;height:.75rem;border-radius:.2rem;margin-right:.375rem;vertical-align:-.05rem}
.ranked{list-style:none;margin:0;padding:0;display:grid;gap:.875rem}
.ranked .row{display:flex;justify-content:space-between;gap:.75rem;align-items:baseline}
.ranked .label{font-weight:600;overflow-wrap:anywhere;min-width:0}
.ranked .value{font-weight:700;white-space:nowrap}
.ranked .note{color:var(--muted);font-size:.85rem}
.ranked svg{margin:.25rem 0;height:.5rem}
.ranked .track{fill:#eef0f5}
.ranked .fill{fill:var(--accent)}
.empty{margin:0;color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:.5rem 0}
@media (max-width:30rem){main{padding:.75rem .625rem 1.5rem}.card{padding:1rem;border-radius:.875rem}h1{font-size:1.45rem}.figures{grid-template-columns:repeat(2,minmax(0,1fr))}.figure{padding:.625rem .75rem}.figure .value{font-size:1.2rem}}
@media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}.card{box-shadow:none;border-color:#ccc;padding:.875rem;margin-bottom:.625rem;break-inside:avoid}header.card{background:#fff}.intervals{display:none}h2{break-after:avoid}.figure,figure.chart,.ranked li{break-inside:avoid}.bar,.part,.swatch,.ranked .fill,.status{-webkit-print-color-adjust:exact;print-color-adjust:exact}footer{display:none}}
`.trim();

export const STYLE_HASH = styleHashOf(CSS);

const PARTIALS: Record<string, string> = {
  columns: `<figure class="chart" data-chart="{{title}}"><figcaption>{{title}}</figcaption>
<svg class="columns" viewBox="0 0 {{width}} {{height}}" role="img" aria-label="{{description}}">
{{#each axis}}<line class="grid" x1="{{../plotLeft}}" x2="{{../plotRight}}" y1="{{y}}" y2="{{y}}"/><text class="axis" x="{{../labelX}}" y="{{textY}}" text-anchor="end">{{text}}</text>{{/each}}
{{#each columns}}<rect class="bar {{key}}" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{title}}</title></rect>{{/each}}
<line class="zero" x1="{{plotLeft}}" x2="{{plotRight}}" y1="{{zeroY}}" y2="{{zeroY}}"/>
{{#each ticks}}<text class="tick" x="{{x}}" y="{{y}}" text-anchor="middle">{{text}}</text>{{/each}}
</svg>
<ul class="legend">{{#each legend}}<li><span class="swatch {{key}}"></span>{{name}}</li>{{/each}}</ul></figure>`,
  ranked: `<ol class="ranked" aria-label="{{description}}">{{#each bars}}<li class="creator"><div class="row"><span class="label">{{rank}}. {{label}}</span><span class="value">{{value}}</span></div>
<svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="6" rx="1"/><rect class="fill" width="{{width}}" height="6" rx="1"/></svg>
<div class="note">{{note}}</div></li>{{/each}}</ol>`,
  sentiment: `<figure class="chart"><figcaption>{{chart.title}}</figcaption>
<svg class="stacked" viewBox="0 0 {{chart.width}} {{chart.height}}" preserveAspectRatio="none" role="img" aria-label="{{chart.description}}">{{#each chart.parts}}<rect class="part {{key}}" x="{{x}}" y="0" width="{{width}}" height="{{../chart.height}}"><title>{{label}}: {{value}}</title></rect>{{/each}}</svg>
<ul class="legend">{{#each legend}}<li data-part="{{key}}"><span class="swatch {{key}}"></span>{{label}} {{value}}</li>{{/each}}</ul></figure>`,
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{{title}}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="card">
<p class="eyebrow">Campaign report</p>
<h1>{{name}}</h1>
<ul class="facts"><li class="status status-{{statusKey}}">{{status}}</li>{{#if dates}}<li class="dates">{{dates}}</li>{{/if}}<li class="window">Attribution window: {{attributionWindow}}</li><li>Amounts in {{currency}}</li></ul>
<nav class="intervals" aria-label="Periods">{{#each intervals}}{{#if current}}<span aria-current="page">{{label}}</span>{{else}}<a href="{{href}}">{{label}}</a>{{/if}}{{/each}}</nav>
</header>
<section class="card" id="results" aria-labelledby="results-title"><h2 id="results-title">Results</h2>
<dl class="figures">{{#each kpis}}<div class="figure" data-kpi="{{key}}"><dt>{{label}}</dt><dd><span class="value">{{value}}</span>{{#if note}}<span class="note">{{note}}</span>{{/if}}</dd></div>{{/each}}</dl>
</section>
<section class="card" id="activity" aria-labelledby="activity-title"><h2 id="activity-title">Clicks and orders {{byPeriod}}</h2>
{{#if activity}}<div class="charts">{{#each activity}}{{> columns}}{{/each}}</div>{{else}}<p class="empty">No data yet: clicks and orders show here from the first one.</p>{{/if}}
</section>
<section class="card" id="money" aria-labelledby="money-title"><h2 id="money-title">Spend and revenue {{byPeriod}}</h2>
{{#if money}}<div class="charts">{{#with money}}{{> columns}}{{/with}}</div>{{else}}<p class="empty">No data yet: spend and revenue show here once accrued or ordered.</p>{{/if}}
</section>
<section class="card" id="creators" aria-labelledby="creators-title"><h2 id="creators-title">Creators by revenue</h2>
{{#if creators}}{{#with creators}}{{> ranked}}{{/with}}{{else}}<p class="empty">No data yet: no creator has joined the campaign.</p>{{/if}}
</section>
<section class="card" id="sentiment" aria-labelledby="sentiment-title"><h2 id="sentiment-title">Sentiment of comments</h2>
{{#if sentiment}}{{#with sentiment}}{{> sentiment}}{{/with}}{{else}}<p class="empty">No data yet: no comment has been classified.</p>{{/if}}
</section>
<footer>{{#if shared}}Shared campaign report: this link stops working when it expires or is revoked.{{else}}Campaign report.{{/if}} Figures as analytics measures them.</footer>
</main>
</body>
</html>
`;

const handlebars = Handlebars.create();
for (const [name, source] of Object.entries(PARTIALS)) {
  handlebars.registerPartial(name, handlebars.compile(source, { strict: true, knownHelpersOnly: true }));
}
const page = handlebars.compile<ReportPageView>(PAGE, { strict: true, knownHelpersOnly: true });
const plain = handlebars.compile<{ status: number; message: string }>(
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><title>{{status}}</title><style>${CSS}</style><main><section class="card"><h1>{{status}}</h1><p>{{message}}</p></section></main></html>`,
  { strict: true, knownHelpersOnly: true },
);

export function renderReportPage(view: ReportPageView): string {
  return page(view);
}

/** The page of a refusal (401, 404, …): the same look, no detail beyond its message. */
export function renderErrorPage(status: number, message: string): string {
  return plain({ status, message });
}

/** Nothing may load but the inline style: no images, scripts, frames, forms or base URL. */
export const REPORT_CSP = strictContentSecurityPolicy(STYLE_HASH);
