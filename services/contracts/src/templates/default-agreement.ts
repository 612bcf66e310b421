/**
 * The influencer agreement every contract uses unless its brand chose a template of its own: plain text
 * in the shape the PDF renders ('#' headings, paragraphs, '-' lists). Its clauses follow what an
 * influencer agreement needs: parties, deliverables, timeline, compensation and payment terms, usage
 * rights, exclusivity, content and morality, disclosure, cancellation and termination, signatures.
 */
export const DEFAULT_TEMPLATE_NAME = 'InfluenceFlow influencer agreement';
/** Changes to the text below are a new version: contracts record which one they were rendered from. */
export const DEFAULT_TEMPLATE_VERSION = 1;

export const DEFAULT_AGREEMENT = `# {{contract.title}}

Version {{contract.version}} of {{contract.createdOn}}. Amends: {{contract.amends}}.

# 1. Parties

This agreement is made between {{brand.name}} (the "Brand") and {{creator.name}} ({{creator.handle}}, the "Creator") for the campaign "{{campaign.name}}", under version {{brief.version}} of its brief.

# 2. Deliverables

The Creator will create and publish:
{{#each deliverables}}
- {{summary}}
{{/each}}

Each deliverable follows the campaign brief and is submitted to the Brand for review before it is published.

# 3. Timeline

The term starts on {{term.startsOn}} and ends on {{term.endsOn}} ({{term.length}}). Deliverables are due on the dates listed above.

# 4. Compensation and payment terms

{{compensation.summary}}

- Flat fee: {{compensation.fee}}
- Commission: {{compensation.commission}}
- Bonus: {{compensation.bonus}}
- Product: {{compensation.product}}

All amounts are in {{compensation.currency}}. The cash compensation is paid in these milestones, each within {{payment.netDays}} days of becoming due:
{{#each milestones}}
- {{summary}}
{{else}}
- No cash payment is due other than the commission above.
{{/each}}

# 5. Usage rights

{{usageRights.summary}} The Creator keeps the copyright in the content.

# 6. Exclusivity

{{exclusivity.summary}}

# 7. Content and morality

The Creator's content must be the Creator's own, truthful and lawful, and must not contain hateful, discriminatory, violent, sexually explicit or otherwise problematic material. If the Creator acts or publishes in a way that brings the Brand into public disrepute, the Brand may end this agreement at once and ask for the content made under it to be removed; fees for deliverables already approved remain payable.

# 8. Disclosure and compliance

Every deliverable must clearly disclose the paid partnership as the platform and the law of the audience's country require (for example #ad, or the platform's paid-partnership label), and comply with the platform's terms and advertising rules.

# 9. Cancellation and termination

Either party may end this agreement with {{cancellation.noticeDays}} days of written notice through the platform. Either party may end it at once if the other materially breaches it and does not remedy the breach within 7 days of being told. On termination, deliverables approved before it are paid as agreed and the usage rights of published content continue for their term.

# 10. Signatures

This agreement is signed electronically by both parties on the InfluenceFlow platform. Each signature records the signer's identity, the consent they accepted, the time, and the SHA-256 of this exact document; the certificate of completion lists them.
`;
