import type { Principal } from '@volundr/contracts/principal';
import { DomainError } from '@volundr/core/errors';
import type { Credentials, Identity } from '@volundr/core/identity/ports/identity';
import { describe, expect, it } from 'vitest';
import { createCompositeIdentity } from './composite-identity';

const principal = (userId: string): Principal => ({
  userId,
  email: null,
  name: null,
  tenantId: 't',
  roles: ['volundr:developer'],
});

/** A PAT-verifier-shaped fake: claims `vpat_` bearer tokens, knows one of them. */
const patVerifier: Identity = {
  async authenticate({ authorization }) {
    if (!authorization?.startsWith('Bearer vpat_')) return null;
    if (authorization === 'Bearer vpat_good') return principal('pat-user');
    throw new DomainError('UNAUTHENTICATED', 'personal access token is not valid');
  },
};
const calls: string[] = [];
const jwtVerifier: Identity = {
  async authenticate({ authorization }) {
    calls.push(authorization ?? '');
    return authorization ? principal('jwt-user') : null;
  },
};
const creds = (authorization?: string): Credentials => ({ authorization, headers: {} });

describe('createCompositeIdentity', () => {
  const identity = createCompositeIdentity([patVerifier, jwtVerifier]);

  it('lets the first adapter that recognises the credentials decide', async () => {
    await expect(identity.authenticate(creds('Bearer vpat_good'))).resolves.toMatchObject({ userId: 'pat-user' });
    await expect(identity.authenticate(creds('Bearer eyJ.jwt.sig'))).resolves.toMatchObject({ userId: 'jwt-user' });
    expect(calls).toEqual(['Bearer eyJ.jwt.sig']);
  });

  it('stops at a rejection instead of falling through', async () => {
    await expect(identity.authenticate(creds('Bearer vpat_bad'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(calls).toEqual(['Bearer eyJ.jwt.sig']);
  });

  it('is anonymous when no adapter recognises anything', async () => {
    await expect(identity.authenticate(creds())).resolves.toBeNull();
  });

  it('needs at least one adapter', () => {
    expect(() => createCompositeIdentity([])).toThrow();
  });
});
