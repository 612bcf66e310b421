import { accountKey, AccountOwner, accountsTakenFrom, handleTakenFrom } from './ownership';

const owner = (platform: string, handle: string, creatorId: string): [string, AccountOwner] => [
  accountKey(platform, handle),
  { platform, handle, creatorId, ownerHandle: `owner.of.${handle}` },
];

describe('ownership rules (the services and the importer decide with these)', () => {
  it('a creator handle is taken when another creator has it', () => {
    expect(handleTakenFrom('me', undefined)).toBe(false);
    expect(handleTakenFrom('me', { id: 'me' })).toBe(false);
    expect(handleTakenFrom('me', { id: 'someone' })).toBe(true);
  });

  it('a platform handle is taken when another creator owns it on that platform', () => {
    const owners = new Map([owner('instagram', 'tess', 'me'), owner('tiktok', 'tess', 'someone'), owner('youtube', 'ben', 'someone')]);
    const accounts = [
      { platform: 'instagram', handle: 'tess' },
      { platform: 'tiktok', handle: 'tess' },
      { platform: 'x', handle: 'ben' },
      { platform: 'youtube', handle: 'ben' },
    ];
    expect(accountsTakenFrom('me', accounts, owners)).toEqual([
      { index: 1, owner: owners.get('tiktok:tess') },
      { index: 3, owner: owners.get('youtube:ben') },
    ]);
    expect(accountsTakenFrom('someone', accounts, owners).map((t) => t.index)).toEqual([0]);
  });
});
