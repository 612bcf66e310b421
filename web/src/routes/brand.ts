import { useSearchParams } from 'react-router';

/** The brand a screen works on: ?brand=<id> when the caller has several, else their first. */
export function useBrand(brands: { id: string; name: string }[]): [{ id: string; name: string } | null, (id: string) => void] {
  const [params, setParams] = useSearchParams();
  const wanted = params.get('brand');
  const brand = brands.find((b) => b.id === wanted) ?? brands[0] ?? null;
  return [
    brand,
    (id: string) => {
      const next = new URLSearchParams(params);
      next.set('brand', id);
      next.delete('after');
      setParams(next);
    },
  ];
}
