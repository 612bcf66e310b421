/**
 * The media-kit page's HTML: Handlebars templates over the page view (view.ts). Handlebars escapes every
 * `{{value}}` for HTML text and attributes; these templates use no triple-stash `{{{…}}}`, so no text of a
 * creator can become markup. Compiled in strict mode with only the built-in helpers: a field the view
 * lacks is an error in tests, not an empty string on the page.
 */
import Handlebars from 'handlebars';
import { strictContentSecurityPolicy, styleHashOf } from '../pages/csp';
import type { PageView } from './view';

/** Inline, so the page loads nothing but the creator's photo; its hash is what the CSP allows. */
const CSS = `
:root{--ink:#1d2433;--muted:#5b6478;--line:#e3e7ef;--paper:#fff;--bg:#f3f5f9;--accent:#4f46e5;--accent-soft:#e9e8fd}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:60rem;margin:0 auto;padding:1.5rem 1rem 2rem}
.card{background:var(--paper);border:1px solid var(--line);border-radius:1rem;padding:1.25rem;margin-bottom:1rem;box-shadow:0 1px 2px rgba(16,24,40,.04)}
header.card{display:flex;gap:1.25rem;align-items:center;flex-wrap:wrap;background:linear-gradient(135deg,#eef0ff 0%,#fff 60%)}
.photo{width:6rem;height:6rem;border-radius:50%;flex:none;position:relative;overflow:hidden;background:var(--accent);color:#fff;display:flex;align-items:center;justify-content:center;font-size:2.25rem;font-weight:700;letter-spacing:.02em}
.photo img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}
/* A photo that cannot load (its host unreachable) shows the initials again instead of a broken-image icon. */
.photo img::after{content:attr(data-initials);position:absolute;inset:0;display:flex;align-items:center;justify-content:center;background:var(--accent);color:#fff}
.who{flex:1 1 12rem;min-width:0}
h1{font-size:1.75rem;line-height:1.2;margin:0;overflow-wrap:anywhere}
.handle{color:var(--muted);margin:.15rem 0 .5rem;overflow-wrap:anywhere}
.location{color:var(--muted);margin:.25rem 0 0;font-size:.95rem}
.bio{margin:.75rem 0 0;white-space:pre-line;overflow-wrap:anywhere}
.chips{display:flex;flex-wrap:wrap;gap:.375rem;list-style:none;margin:0;padding:0}
.chips li{background:var(--accent-soft);color:#3730a3;border-radius:999px;padding:.125rem .625rem;font-size:.85rem;overflow-wrap:anywhere}
h2{font-size:.8rem;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);margin:0 0 .875rem}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;margin:0}
.figure{border:1px solid var(--line);border-radius:.75rem;padding:.75rem .875rem;margin:0}
.figure dt{color:var(--muted);font-size:.85rem}
.figure dd{margin:0}
.figure .value{display:block;font-size:1.6rem;font-weight:700;line-height:1.25}
.figure .note{display:block;color:var(--muted);font-size:.8rem}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.5rem .5rem .5rem 0;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8rem;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;padding:.5rem 0 .5rem .75rem;white-space:nowrap}
tr:last-child td{border-bottom:0}
.account-handle{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.tier-inline{display:none}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem 1.5rem}
figure.chart{margin:0}
figure.chart figcaption{font-weight:600;margin-bottom:.375rem}
svg.bars{display:block;width:100%;height:auto;overflow:visible}
svg.bars text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
svg.bars .track{fill:#eef0f5}
svg.bars .fill{fill:var(--accent)}
.interests{margin-top:1rem}
.interests h3,.rate-group h3{font-size:.95rem;margin:0 0 .375rem}
.rates{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:1rem 1.5rem}
.posts{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.75rem;list-style:none;margin:0;padding:0}
.post{border:1px solid var(--line);border-radius:.75rem;padding:.875rem;display:flex;flex-direction:column;gap:.375rem;min-width:0}
.post .meta{color:var(--muted);font-size:.85rem}
.post .caption{margin:0;overflow-wrap:anywhere;display:-webkit-box;-webkit-line-clamp:4;-webkit-box-orient:vertical;overflow:hidden}
.post .numbers{font-weight:600;margin-top:auto}
.post .rate{color:var(--muted);font-size:.9rem}
.post a{color:var(--accent);font-weight:600;text-decoration:none}
.post a:hover,.post a:focus{text-decoration:underline}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:.5rem 0}
footer a{color:inherit}
@media (max-width:30rem){main{padding:.75rem .625rem 1.5rem}.card{padding:1rem;border-radius:.875rem}.photo{width:4.5rem;height:4.5rem;font-size:1.6rem}h1{font-size:1.45rem}.figure .value{font-size:1.35rem}.figures{grid-template-columns:repeat(2,minmax(0,1fr))}td{font-size:.95rem}.tier{display:none}.tier-inline{display:inline}}
@media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}.card{box-shadow:none;border-color:#ccc;padding:.875rem;margin-bottom:.625rem}h2{break-after:avoid}header.card,.figure,figure.chart,tr,.rate-group,.post{break-inside:avoid}header.card{background:#fff}.photo,svg.bars .fill,.chips li{-webkit-print-color-adjust:exact;print-color-adjust:exact}.post a::after{content:" (" attr(href) ")";font-weight:400;color:var(--muted);overflow-wrap:anywhere}footer{display:none}}
`.trim();

export const STYLE_HASH = styleHashOf(CSS);

const PARTIALS: Record<string, string> = {
  figures: `<dl class="figures">{{#each figures}}<div class="figure"><dt>{{label}}</dt><dd><span class="value">{{value}}</span>{{#if note}}<span class="note">{{note}}</span>{{/if}}</dd></div>{{/each}}</dl>`,
  accounts: `<table><thead><tr><th>Platform</th><th class="num">Followers</th><th class="num">Engagement</th><th class="num tier">Tier</th></tr></thead><tbody>
{{#each accounts}}<tr><td>{{platform}}<div class="account-handle">@{{handle}}<span class="tier-inline"> · {{tier}}</span></div></td><td class="num">{{followers}}</td><td class="num">{{#if engagement}}{{engagement}}{{else}}—{{/if}}</td><td class="num tier">{{tier}}</td></tr>
{{/each}}</tbody></table>`,
  audience: `{{#with audience}}{{#if charts.length}}<div class="charts">{{#each charts}}<figure class="chart"><figcaption>{{title}}</figcaption>
<svg class="bars" viewBox="0 0 {{width}} {{height}}" role="img" aria-label="{{description}}">{{#each bars}}
<g class="bar"><text class="label" x="0" y="{{textY}}">{{label}}</text><rect class="track" x="{{../trackX}}" y="{{y}}" width="{{../trackWidth}}" height="{{../barHeight}}" rx="3"/><rect class="fill" x="{{../trackX}}" y="{{y}}" width="{{width}}" height="{{../barHeight}}" rx="3"/><text class="value" x="{{../valueX}}" y="{{textY}}" text-anchor="end">{{value}}</text></g>{{/each}}
</svg></figure>{{/each}}</div>{{/if}}
{{#if interests}}<div class="interests"><h3>Interests</h3><ul class="chips">{{#each interests}}<li>{{this}}</li>{{/each}}</ul></div>{{/if}}{{/with}}`,
  rates: `<div class="rates">{{#each groups}}<div class="rate-group"><h3>{{platform}}</h3><table><tbody>{{#each rates}}<tr><td>{{format}}</td><td class="num">{{price}}</td></tr>{{/each}}</tbody></table></div>{{/each}}</div>`,
  posts: `<ol class="posts">{{#each posts}}<li class="post"><div class="meta">{{platform}} · {{format}} · <time datetime="{{isoDate}}">{{date}}</time></div>
{{#if caption}}<p class="caption">{{caption}}</p>{{/if}}<div class="numbers">{{engagements}}</div>{{#if engagementRate}}<div class="rate">{{engagementRate}} of followers</div>{{/if}}
{{#if url}}<a href="{{url}}" rel="noopener noreferrer nofollow" target="_blank">View the post ↗</a>{{/if}}</li>{{/each}}</ol>`,
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<meta name="description" content="{{description}}">
<meta property="og:type" content="profile">
<meta property="og:title" content="{{title}}">
<meta property="og:description" content="{{description}}">
<meta property="profile:username" content="{{handle}}">
{{#if avatarUrl}}<meta property="og:image" content="{{avatarUrl}}">
{{/if}}<meta name="twitter:card" content="summary">
<style>${CSS}</style>
</head>
<body>
<main>
<header class="card">
<div class="photo" aria-hidden="true">{{initials}}{{#if avatarUrl}}<img src="{{avatarUrl}}" alt="" data-initials="{{initials}}" referrerpolicy="no-referrer">{{/if}}</div>
<div class="who">
<h1>{{displayName}}</h1>
<p class="handle">@{{handle}}</p>
{{#if niches}}<ul class="chips niches" aria-label="Niches">{{#each niches}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
{{#if location}}<p class="location">{{location}}</p>{{/if}}
{{#if languages}}<p class="location languages">Speaks {{languages}}</p>{{/if}}
{{#if bio}}<p class="bio">{{bio}}</p>{{/if}}
</div>
</header>
{{#each sections}}<section class="card" id="{{id}}" aria-labelledby="{{id}}-title"><h2 id="{{id}}-title">{{title}}</h2>
{{> (lookup . "partial")}}
</section>
{{/each}}
<footer>Media kit of @{{handle}} · <a href="{{jsonPath}}">JSON</a></footer>
</main>
</body>
</html>
`;

const handlebars = Handlebars.create();
for (const [name, source] of Object.entries(PARTIALS)) {
  handlebars.registerPartial(name, handlebars.compile(source, { strict: true, knownHelpersOnly: true }));
}
const page = handlebars.compile<PageView>(PAGE, { strict: true, knownHelpersOnly: true });

export function renderPage(view: PageView): string {
  return page(view);
}

/**
 * The page's Content-Security-Policy: nothing may load but the inline style (by its hash) and the
 * creator's photo from its own origin; no scripts, frames, forms or base URL.
 */
export function contentSecurityPolicy(avatarUrl: string | null): string {
  const origin = avatarUrl ? new URL(avatarUrl).origin : null;
  return strictContentSecurityPolicy(STYLE_HASH, origin && /^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin) ? origin : "'none'");
}
