import { useEffect } from 'react';
import { useQuery } from 'urql';
import { errorMessages } from '../graphql/errors';
import { CREATOR, CreatorView } from './CreatorView';
import { useMe } from './me';

/** The creator's own profile as brands see it: accounts with provenance, authenticity, audience, prices. */
export default function MyProfile() {
  const me = useMe();
  const id = me.creator?.id ?? '';
  const [{ data, error, fetching }] = useQuery({ query: CREATOR, variables: { id, withLookalikes: false }, pause: !id });
  useEffect(() => {
    document.title = 'My profile · InfluenceFlow';
  }, []);
  if (!me.creator)
    return (
      <>
        <h1>My profile</h1>
        <p>You have no creator profile yet.</p>
      </>
    );
  if (fetching && !data) return <p role="status">Loading your profile…</p>;
  if (error && !data)
    return (
      <div role="alert" className="error-box">
        {errorMessages(error).map((m) => (
          <p key={m}>{m}</p>
        ))}
      </div>
    );
  return data ? (
    <CreatorView creator={data.creator}>
      <p className="hint">This is your profile as brands see it.</p>
    </CreatorView>
  ) : null;
}
