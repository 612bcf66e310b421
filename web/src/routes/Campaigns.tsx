import { useEffect } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { errorMessages } from '../graphql/errors';
import { Pager } from '../ui/Pager';
import { titleCase } from '../ui/format';
import { TableWrap } from '../ui/form';
import { useBrand } from './brand';
import { abilities, useMe } from './me';

const CAMPAIGNS = graphql(`
  query Campaigns($brandId: ID!, $first: Int, $after: String) {
    campaigns(brandId: $brandId, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          status
          startsOn
          endsOn
          budget {
            formatted
          }
          goal {
            type
            target
          }
          platforms
        }
      }
    }
  }
`);

const PAGE = 10;

/** Campaigns: the brand's, newest first, by pages; "New campaign" for its members (not its analysts). */
export default function Campaigns() {
  const me = useMe();
  const can = abilities(me);
  const [brand, setBrand] = useBrand(can.brandsToRead);
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const state = location.state as { back?: string[]; created?: string } | null;
  const back = state?.back ?? [];
  const after = params.get('after');
  const [{ data, error, fetching }] = useQuery({
    query: CAMPAIGNS,
    variables: { brandId: brand?.id ?? '', first: PAGE, after },
    pause: !brand,
    requestPolicy: 'cache-and-network',
  });
  useEffect(() => {
    document.title = 'Campaigns · InfluenceFlow';
  }, []);
  if (!brand) return <p>You are not a member of any brand.</p>;
  const mayCreate = can.brandsToRun.some((b) => b.id === brand.id);
  const page = data?.campaigns;
  const go = (to: string | null, nextBack: string[]) => {
    const next = new URLSearchParams(params);
    if (to) next.set('after', to);
    else next.delete('after');
    setParams(next, { state: { back: nextBack } });
  };
  return (
    <div>
      <div className="title-row">
        <h1>Campaigns</h1>
        {mayCreate && (
          <Link className="button" to={`/campaigns/new?brand=${brand.id}`}>
            New campaign
          </Link>
        )}
      </div>
      {can.brandsToRead.length > 1 && (
        <div className="field inline">
          <label htmlFor="brand-select">Brand</label>
          <select id="brand-select" value={brand.id} onChange={(e) => setBrand(e.target.value)}>
            {can.brandsToRead.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {state?.created && (
        <p role="status" className="success">
          Campaign “{state.created}” created.
        </p>
      )}
      {fetching && !page && <p role="status">Loading the campaigns…</p>}
      {error && (
        <div role="alert" className="error-box">
          {errorMessages(error).map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
      {page && page.edges.length === 0 && <p>{brand.name} has no campaign yet.</p>}
      {page && page.edges.length > 0 && (
        <TableWrap label={`Campaigns of ${brand.name}`}>
          <table className="campaigns">
            <caption>Campaigns of {brand.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Dates</th>
                <th scope="col">Budget</th>
                <th scope="col">Goal</th>
              </tr>
            </thead>
            <tbody>
              {page.edges.map(({ node: c }) => (
                <tr key={c.id} data-campaign={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>
                    <span className={`status status-${c.status.toLowerCase()}`}>{titleCase(c.status)}</span>
                  </td>
                  <td>
                    {c.startsOn} → {c.endsOn}
                  </td>
                  <td>{c.budget.formatted}</td>
                  <td>
                    {titleCase(c.goal.type)}: {c.goal.target.toLocaleString('en')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {page && (
        <Pager
          label="Campaign pages"
          page={back.length + 1}
          hasPrevious={!!after}
          hasNext={page.pageInfo.hasNextPage}
          onPrevious={() => go(back[back.length - 1] || null, back.slice(0, -1))}
          onNext={() => go(page.pageInfo.endCursor ?? null, [...back, after ?? ''])}
        />
      )}
    </div>
  );
}
