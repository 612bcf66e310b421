import { InputProblems, badInput, isUuid } from '@influenceflow/kit';
import { checkTerms, ContractTerms, Milestone } from './contract-terms';
import type { ContractTermsInput } from './contract.types';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NAME = /^[a-z][a-z0-9_-]{0,39}$/;

function isoDate(value: string, field: string): string {
  if (
    !ISO_DATE.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  )
    throw badInput(field, 'must be an ISO date (YYYY-MM-DD)');
  return value;
}

function money(amountMinor: number, field: string): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw badInput(field, 'must be a whole, non-negative number of minor units');
  return amountMinor;
}

/**
 * Terms after a partial update: a field left out keeps its value, null clears it (compensation parts,
 * exclusivity), lists replace. Every problem is reported at once (under `field`), then the whole is
 * checked (checkTerms: the milestones must still add up). Returns the new terms and the template chosen
 * (undefined: unchanged).
 */
export function applyTermsPatch(
  terms: ContractTerms,
  input: ContractTermsInput,
  field = 'input',
): { terms: ContractTerms; templateId: string | null | undefined } {
  const problems = new InputProblems();
  const next: ContractTerms = structuredClone(terms);
  const currency = terms.compensation.currency;
  const c = input.compensation;
  if (c) {
    if (c.flatFee !== undefined) {
      if (c.flatFee === null) next.compensation.flatFeeMinor = null;
      else {
        if (c.flatFee.currency !== currency)
          problems.add(`${field}.compensation.flatFee.currency`, `must be the contract's currency, ${currency}`);
        const amount = problems.check(() => money(c.flatFee!.amountMinor, `${field}.compensation.flatFee.amountMinor`));
        if (amount !== undefined) next.compensation.flatFeeMinor = amount || null;
      }
    }
    if (c.commissionPercent !== undefined) next.compensation.commissionPercent = c.commissionPercent;
    if (c.bonus !== undefined)
      next.compensation.bonus = c.bonus && {
        metric: c.bonus.metric.trim(),
        threshold: c.bonus.threshold,
        amountMinor: c.bonus.amountMinor,
      };
    if (c.product !== undefined)
      next.compensation.product = c.product && {
        description: c.product.description.trim(),
        declaredValueMinor: c.product.declaredValueMinor,
      };
  }
  if (input.deliverables !== undefined && input.deliverables !== null) {
    if (input.deliverables.length === 0) problems.add(`${field}.deliverables`, 'a contract needs at least one deliverable');
    if (input.deliverables.length > 50) problems.add(`${field}.deliverables`, 'at most 50 deliverables');
    next.deliverables = input.deliverables.map((d, i) => {
      const at = `${field}.deliverables.${i}`;
      const platform = d.platform.trim().toLowerCase();
      const format = d.format.trim().toLowerCase();
      if (!NAME.test(platform)) problems.add(`${at}.platform`, 'must be a platform name (letters, digits, "-", "_")');
      if (!NAME.test(format)) problems.add(`${at}.format`, 'must be a format name (letters, digits, "-", "_")');
      if (!Number.isInteger(d.count) || d.count < 1 || d.count > 100) problems.add(`${at}.count`, 'must be between 1 and 100');
      problems.check(() => isoDate(d.dueOn, `${at}.dueOn`));
      return { platform, format, count: d.count, dueOn: d.dueOn };
    });
  }
  if (input.milestones !== undefined && input.milestones !== null) {
    next.milestones = input.milestones.map((m): Milestone => ({
      label: m.label.trim(),
      amountMinor: m.amountMinor ?? null,
      sharePercent: m.sharePercent ?? null,
      trigger: m.trigger,
      deliverableIndex: m.deliverableIndex ?? null,
    }));
  }
  if (input.usageRights) next.usageRights = { scope: input.usageRights.scope.trim(), durationMonths: input.usageRights.durationMonths };
  if (input.exclusivity !== undefined)
    next.exclusivity = input.exclusivity && { category: input.exclusivity.category.trim(), windowDays: input.exclusivity.windowDays };
  if (input.paymentNetDays !== undefined && input.paymentNetDays !== null) next.paymentNetDays = input.paymentNetDays;
  if (input.cancellationNoticeDays !== undefined && input.cancellationNoticeDays !== null)
    next.cancellationNoticeDays = input.cancellationNoticeDays;
  if (input.templateId !== undefined && input.templateId !== null && !isUuid(input.templateId))
    problems.add(`${field}.templateId`, 'must be a UUID');
  // The terms as a whole (the milestones must still add up), in the same error as the fields above.
  problems.check(() => checkTerms(next, field));
  problems.throwIfAny();
  return { terms: next, templateId: input.templateId === undefined ? undefined : (input.templateId?.toLowerCase() ?? null) };
}
