/** The types grouped by what comes before the dot (campaign, partnership, …), in the list's order. */
export function eventTypeGroups(types: readonly string[]): { group: string; types: string[] }[] {
  const groups: { group: string; types: string[] }[] = [];
  for (const t of types) {
    const group = t.split('.')[0];
    const last = groups[groups.length - 1];
    if (last?.group === group) last.types.push(t);
    else groups.push({ group, types: [t] });
  }
  return groups;
}
