/*
 * InfluenceFlow click keeper: keeps the click id of a creator's tracking link (`ifclid`) while the visitor
 * browses a brand's site, so the order or sign-up on a later page can still be attributed.
 *
 * First party only: it stores the id in a cookie of the brand's own site and in its localStorage, puts it
 * into the site's forms and, when asked, into links to the brand's other domains. It never sends anything
 * anywhere (no network calls) and stores nothing about the visitor but the id and the link's UTM values.
 *
 * Plain ES2017, no dependencies. Every step is guarded: storage throws in some browsers (Safari's private
 * mode, sandboxed frames, cookies blocked), and a brand's page must never break because of this script.
 * docs/landing-script.md says how to use it.
 */
(() => {
  'use strict';

  const NAME = 'ifclid';
  const COOKIE = '_ifclid'; // also the localStorage key
  const DAY_MS = 864e5;
  // The redirect's ids are UUIDs, which this shape includes; anything else (markup, a 500-character
  // string) is not an InfluenceFlow click and is ignored.
  const CLICK_ID = /^[\w-]{8,64}$/;
  const UTM_KEY = /^utm_[a-z0-9_]{1,32}$/;
  const LINKS = 'a[href],area[href]';

  /** Never let a failure reach the page: the fallback value instead. */
  const safely = (fn, fallback = null) => {
    try {
      return fn();
    } catch (_) {
      return fallback;
    }
  };
  const validId = (value) => (typeof value == 'string' && CLICK_ID.test(value) ? value : null);

  if (safely(() => typeof InfluenceFlow.clickId == 'function')) return; // the tag pasted twice

  const script = safely(() => document.currentScript || document.querySelector('script[src*="/t.js"]'));
  const attribute = (name) => safely(() => script.getAttribute(name) || '', '');

  // data-days: how long the click is kept (30 days unless said; browsers cap cookies at 400 days).
  const days = parseFloat(attribute('data-days'));
  const lifetimeMs = (days > 0 ? Math.min(days, 400) : 30) * DAY_MS;

  /** The brand's other domains, for link decoration: "shop.example, other.example" (sub-domains included). */
  const domains =
    attribute('data-decorate-links') == 'same-site'
      ? attribute('data-domains')
          .toLowerCase()
          .split(/[\s,]+/)
          .map((d) => d.replace(/^\*?\.+/, ''))
          .filter((d) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d))
      : [];

  // --- storage ------------------------------------------------------------------------------------

  const readCookie = () =>
    safely(() => {
      const pair = document.cookie.split('; ').find((p) => p.indexOf(COOKIE + '=') == 0);
      return pair ? validId(pair.slice(COOKIE.length + 1)) : null;
    });

  const writeCookie = (id, maxAgeMs) =>
    safely(() => {
      document.cookie =
        `${COOKIE}=${id}; path=/; max-age=${Math.max(1, Math.floor(maxAgeMs / 1000))}; SameSite=Lax` +
        (location.protocol == 'https:' ? '; Secure' : '');
    });

  /** The stored click, `{ id, utm, at }` (`at`: when it was seen, ms), or null when absent or expired. */
  const readStorage = () =>
    safely(() => {
      const entry = JSON.parse(localStorage.getItem(COOKIE));
      const age = Date.now() - entry.at;
      return validId(entry.id) && age >= -DAY_MS && age < lifetimeMs ? { id: entry.id, utm: Object(entry.utm), at: entry.at } : null;
    });

  // --- the click ----------------------------------------------------------------------------------

  /**
   * The click to keep: the one in this page's address when it carries one (a newer click replaces an
   * older), else the stored one. The cookie wins over localStorage (it expires by itself and the brand's
   * server sees it); a cookie lost while localStorage still holds the click is written again for what is
   * left of its lifetime, never longer: the lifetime counts from the click.
   */
  const load = () => {
    const params = new URLSearchParams(location.search);
    const id = validId(params.get(NAME));
    if (id) {
      const utm = {};
      let count = 0;
      params.forEach((value, key) => {
        if (count < 10 && UTM_KEY.test(key) && !(key in utm) && value.length <= 200) {
          utm[key] = value;
          count++;
        }
      });
      const entry = { id, utm, at: Date.now() };
      writeCookie(id, lifetimeMs);
      safely(() => localStorage.setItem(COOKIE, JSON.stringify(entry)));
      return entry;
    }
    const cookieId = readCookie();
    const stored = readStorage();
    if (cookieId) return stored && stored.id == cookieId ? stored : { id: cookieId, utm: {} };
    if (stored) writeCookie(stored.id, lifetimeMs - (Date.now() - stored.at));
    return stored;
  };

  const click = safely(load);

  /** `url` with the click id as its `ifclid` parameter (an older one replaced), before any #fragment. */
  const decorate = (url) =>
    safely(() => {
      const parsed = new URL(url, location.href);
      if (!click || !/^https?:$/.test(parsed.protocol)) return url;
      parsed.searchParams.set(NAME, click.id);
      return parsed.href;
    }, url);

  window.InfluenceFlow = {
    /** The kept click id, or null. */
    clickId: () => (click ? click.id : null),
    /** The utm_* parameters of the kept click's landing address (a copy). */
    utm: () => Object.assign({}, click && click.utm),
    decorate,
  };

  // --- the page -----------------------------------------------------------------------------------

  /** Every form carries the id in a hidden `ifclid` field; one the brand wrote itself is filled if empty. */
  const keepInForm = (form) => {
    let field = form.querySelector(`input[name="${NAME}"]`);
    if (!field) {
      field = form.appendChild(document.createElement('input'));
      field.type = 'hidden';
      field.name = NAME;
      field.dataset.influenceflow = '';
    }
    if (!field.value || 'influenceflow' in field.dataset) field.value = click.id;
  };

  /** Links to a listed domain or a sub-domain of one ("shop.example" covers "eu.shop.example", not "myshop.example"). */
  const decorateLink = (link) => {
    const host = new URL(link.href).hostname;
    if (host != location.hostname && domains.some((d) => host == d || host.endsWith('.' + d))) {
      const decorated = decorate(link.href);
      if (decorated != link.href) link.setAttribute('href', decorated);
    }
  };

  /** What `root` holds (itself included) matching `selector`. */
  const within = (root, selector) => (root.matches(selector) ? [root] : root.querySelectorAll(selector));

  const apply = (root) => {
    for (const form of within(root, 'form')) safely(() => keepInForm(form));
    if (domains.length) for (const link of within(root, LINKS)) safely(() => decorateLink(link));
  };

  if (click) {
    safely(() => {
      apply(document.documentElement);
      // Forms and links the parser or the page's own code adds later (this script may run before the body).
      new MutationObserver((records) => {
        for (const record of records) for (const node of record.addedNodes) if (node.nodeType == 1) safely(() => apply(node));
      }).observe(document.documentElement, { childList: true, subtree: true });
      // A link the page re-rendered since is decorated again as it is followed.
      if (domains.length) addEventListener('click', (event) => safely(() => decorateLink(event.target.closest(LINKS))), true);
    });
  }

  // For code that waits for the script (it loads async), e.g. the Shopify snippet in docs/landing-script.md.
  safely(() => document.dispatchEvent(new CustomEvent('influenceflow:ready')));
})();
