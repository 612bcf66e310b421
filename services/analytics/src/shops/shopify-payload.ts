import { createHash } from 'node:crypto';
import { badInput, decimalToMinor, isCurrencyCode } from '@influenceflow/kit';
import { parse as parseLossless } from 'lossless-json';
import type { OrderLineReceived, OrderReceived, RefundReceived } from '../orders/order-input';

/** What the payload needs of the shop it came from. */
export interface ShopRef {
  id: string;
  brandId: string;
}

/** Longest text kept of a free-text field (a title, a landing URL); the body itself is at most 1 MiB. */
const MAX_TEXT = 2048;
const MAX_CODES = 50;
const MAX_LINES = 1000;

/**
 * The body's JSON. Shopify's ids are 64-bit integers, beyond what a JS number holds exactly
 * (820982911946154508 would become …500): integers outside the safe range are kept as bigint.
 * A SyntaxError for what is not JSON.
 */
export function parseShopifyJson(text: string): unknown {
  return parseLossless(text, null, (value: string) => {
    if (/^-?\d+$/.test(value)) {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : BigInt(value);
    }
    // A decimal is kept as its text: amounts become minor units exactly (decimalToMinor), never floats.
    return value;
  });
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text without control characters (NUL cannot be stored; the others are never meant). */
function cleanText(v: unknown, field: string): string {
  if (typeof v !== 'string') throw badInput(field, 'must be a string');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) throw badInput(field, 'must not contain control characters');
  return v;
}

function optionalText(v: unknown, field: string): string | null {
  if (v === null || v === undefined) return null;
  const text = cleanText(v, field).trim();
  return text === '' ? null : text;
}

/** A Shopify id: a positive integer (number, bigint, or its digits as a string). */
function idOf(v: unknown, field: string): string {
  const text = typeof v === 'number' ? (Number.isSafeInteger(v) ? String(v) : '') : typeof v === 'bigint' ? String(v) : v;
  if (typeof text !== 'string' || !/^[1-9]\d{0,19}$/.test(text)) {
    throw badInput(field, v === undefined || v === null ? 'is missing' : 'must be a positive integer id');
  }
  return text;
}

/** An ISO 8601 timestamp with its offset, as Shopify writes them ("2026-01-10T11:00:00-05:00"). */
function timeOf(v: unknown, field: string): Date {
  const text = typeof v === 'string' ? v : '';
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(at.getTime())) {
    throw badInput(field, 'must be an ISO 8601 time with its offset');
  }
  return at;
}

function currencyOf(v: unknown, field: string): string {
  if (typeof v !== 'string' || !isCurrencyCode(v)) throw badInput(field, 'must be an ISO 4217 currency code (e.g. USD)');
  return v;
}

/** An amount (a decimal string, or a number Shopify sometimes writes) in minor units, 0 or more. */
function amountOf(v: unknown, currency: string, field: string): number {
  const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof text !== 'string') throw badInput(field, v === undefined || v === null ? 'is missing' : 'must be a decimal amount');
  const minor = decimalToMinor(text, currency, field);
  if (minor < 0) throw badInput(field, 'must not be negative');
  return minor;
}

function listOf(v: unknown, field: string, max: number): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw badInput(field, 'must be a list');
  if (v.length > max) throw badInput(field, `must hold at most ${max} entries`);
  return v;
}

/** SHA-256 (hex) of who ordered: the shop's customer id, else the e-mail lower-cased; null when neither. */
function customerKeyOf(order: Json): string | null {
  const customer = isObject(order.customer) ? order.customer : {};
  if (customer.id !== undefined && customer.id !== null) {
    return createHash('sha256')
      .update(`shopify:${idOf(customer.id, 'customer.id')}`)
      .digest('hex');
  }
  const email = optionalText(customer.email ?? order.email, 'customer.email');
  return email ? createHash('sha256').update(email.toLowerCase()).digest('hex') : null;
}

function lineOf(v: unknown, i: number, currency: string): OrderLineReceived {
  const field = `line_items.${i}`;
  if (!isObject(v)) throw badInput(field, 'must be an object');
  const quantity = v.quantity;
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < 0) {
    throw badInput(`${field}.quantity`, 'must be a whole number, 0 or more');
  }
  return {
    sku: optionalText(v.sku, `${field}.sku`)?.slice(0, MAX_TEXT) ?? null,
    title: (optionalText(v.title, `${field}.title`) ?? '').slice(0, MAX_TEXT),
    quantity,
    unitPriceMinor: amountOf(v.price, currency, `${field}.price`),
  };
}

/**
 * An `orders/create` webhook's body as an OrderReceived. The amount is net of tax and shipping: Shopify's
 * `subtotal_price` is after discounts and before shipping; when prices include tax (`taxes_included`),
 * `total_tax` is taken off it. BAD_USER_INPUT naming the field for what cannot be an order.
 */
export function orderFromShopify(json: unknown, shop: ShopRef): OrderReceived {
  if (!isObject(json)) throw badInput('body', 'must be a JSON object (an order)');
  const externalId = idOf(json.id, 'id');
  const currency = currencyOf(json.currency, 'currency');
  const subtotal = amountOf(json.subtotal_price, currency, 'subtotal_price');
  amountOf(json.total_price ?? '0', currency, 'total_price');
  const tax = json.total_tax === undefined || json.total_tax === null ? 0 : amountOf(json.total_tax, currency, 'total_tax');
  if (json.taxes_included !== undefined && json.taxes_included !== null && typeof json.taxes_included !== 'boolean') {
    throw badInput('taxes_included', 'must be true or false');
  }
  // Tax on shipping is in total_tax too: the net never goes below 0.
  const amountMinor = json.taxes_included === true ? Math.max(0, subtotal - tax) : subtotal;
  const discountCodes = listOf(json.discount_codes, 'discount_codes', MAX_CODES)
    .map((d, i) => (isObject(d) ? optionalText(d.code, `discount_codes.${i}.code`) : null))
    .filter((c): c is string => !!c)
    .map((c) => c.slice(0, MAX_TEXT));
  const landing = optionalText(json.landing_site, 'landing_site');
  return {
    brandId: shop.brandId,
    source: 'shopify',
    shopId: shop.id,
    externalId,
    orderedAt: timeOf(json.created_at, 'created_at'),
    amountMinor,
    currency,
    pricesIncludeTax: json.taxes_included === true,
    customerKey: customerKeyOf(json),
    discountCodes,
    // A landing URL cut short would lose its parameters: an absurdly long one is dropped instead.
    landingUrl: landing && landing.length <= MAX_TEXT ? landing : null,
    clickId: cartClickId(json),
    lineItems: listOf(json.line_items, 'line_items', MAX_LINES).map((l, i) => lineOf(l, i, currency)),
  };
}

/**
 * The click id the click keeper put into the cart (`attributes[ifclid]`, docs/landing-script.md), which
 * Shopify hands on as the order's `note_attributes`; null without one.
 */
function cartClickId(json: Record<string, unknown>): string | null {
  if (!Array.isArray(json.note_attributes)) return null;
  for (const [i, a] of json.note_attributes.slice(0, MAX_LINES).entries()) {
    if (!isObject(a) || a.name !== 'ifclid') continue;
    const value = optionalText(a.value, `note_attributes.${i}.value`);
    return value && value.length <= 100 ? value : null;
  }
  return null;
}

/** Shopify's money set: `{ shop_money: { amount, currency_code } }`. */
function shopMoney(v: unknown): { amount: unknown; currency: unknown } | null {
  if (!isObject(v) || !isObject(v.shop_money)) return null;
  return { amount: v.shop_money.amount, currency: v.shop_money.currency_code };
}

/**
 * A `refunds/create` webhook's body as a RefundReceived: the refunded line items' subtotals (shipping is
 * never in them), with their tax apart (`total_tax_set`, else `total_tax`): a line's subtotal includes its
 * tax where the store's prices do, and the order store takes it off for such an order. Null when no line
 * was refunded (a shipping-only refund): there is no commission to take back. Whether the refund fits its
 * order is the store's call.
 */
export function refundFromShopify(json: unknown, shop: ShopRef): RefundReceived | null {
  if (!isObject(json)) throw badInput('body', 'must be a JSON object (a refund)');
  const externalId = idOf(json.id, 'id');
  const orderExternalId = idOf(json.order_id, 'order_id');
  const refundedAt = timeOf(json.created_at, 'created_at');
  const lines = listOf(json.refund_line_items, 'refund_line_items', MAX_LINES);
  const transactions = listOf(json.transactions, 'transactions', MAX_LINES);
  const firstSet = lines.map((l) => (isObject(l) ? shopMoney(l.subtotal_set) : null)).find((m) => m !== null);
  const transaction = transactions.find(isObject);
  const currencySource = firstSet?.currency ?? transaction?.currency;
  if (lines.length === 0) return null;
  const currency = currencyOf(
    currencySource,
    firstSet ? 'refund_line_items.0.subtotal_set.shop_money.currency_code' : 'transactions.0.currency',
  );
  let amountMinor = 0;
  let includedTaxMinor = 0;
  /** A line's money: its `<name>_set.shop_money` (in the refund's currency), else its plain `<name>`, else 0 when `optional`. */
  const lineMoney = (l: Record<string, unknown>, i: number, name: 'subtotal' | 'total_tax', optional: boolean): number => {
    const set = shopMoney(l[`${name}_set`]);
    if (set && set.currency !== currency) throw badInput(`refund_line_items.${i}.${name}_set`, `must be in ${currency}, as the others`);
    if (set) return amountOf(set.amount, currency, `refund_line_items.${i}.${name}_set.shop_money.amount`);
    if (optional && (l[name] === undefined || l[name] === null)) return 0;
    return amountOf(l[name], currency, `refund_line_items.${i}.${name}`);
  };
  lines.forEach((l, i) => {
    if (!isObject(l)) throw badInput(`refund_line_items.${i}`, 'must be an object');
    amountMinor += lineMoney(l, i, 'subtotal', false);
    includedTaxMinor += lineMoney(l, i, 'total_tax', true);
  });
  if (!Number.isSafeInteger(amountMinor) || !Number.isSafeInteger(includedTaxMinor))
    throw badInput('refund_line_items', 'add up to too large an amount');
  if (amountMinor === 0) return null;
  return {
    brandId: shop.brandId,
    source: 'shopify',
    shopId: shop.id,
    externalId,
    orderExternalId,
    refundedAt,
    amountMinor,
    currency,
    includedTaxMinor: Math.min(includedTaxMinor, amountMinor),
  };
}
