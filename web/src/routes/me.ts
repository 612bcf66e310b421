import { createContext, useContext } from 'react';
import { graphql } from '../gql';
import type { MeQuery } from '../gql/graphql';

export const ME = graphql(`
  query Me {
    me {
      subject
      roles
      creatorId
      brands {
        role
        brand {
          id
          name
        }
      }
      creator {
        id
        handle
        displayName
      }
    }
  }
`);

export type Me = MeQuery['me'];

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the shell');
  return me;
}

/** What the caller may do, from the API's own answer about them: a forbidden action is not offered. */
export function abilities(me: Me) {
  const brandsToRun = me.brands.filter((b) => b.role !== 'ANALYST').map((b) => b.brand);
  const seesAudiences = me.roles.some((r) => r === 'BRAND_MEMBER' || r === 'ANALYST' || r === 'ADMIN');
  return {
    /** Brands whose campaigns the caller may create and whose invitations they may send. */
    brandsToRun,
    /** Brands whose campaigns the caller reads (analysts too). */
    brandsToRead: me.brands.map((b) => b.brand),
    seesAudiences,
    isCreator: me.roles.includes('CREATOR') && !!me.creatorId,
  };
}
