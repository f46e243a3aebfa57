// A real OpenID provider for the single sign-on journeys: the `oidc-provider` package, run in
// this process on a loopback port with one confidential client (aims) and a few test accounts.
// Its development interactions (a login form that takes any password, then a consent page)
// stand in for a corporate login; everything else (discovery, keys, PKCE, tokens, userinfo) is
// the package's real implementation.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

/** Accounts by login name; `groups` is the claim aims maps to roles. Tests may change them. */
export const accounts = {
  alice: { sub: 'sub-alice-7f3a', preferred_username: 'alice.sso', email: 'alice@example.test', name: 'Alice Admin (SSO)', groups: ['staff', 'aims-admins'] },
  rita: { sub: 'sub-rita-19c2', preferred_username: 'rita.sso', email: 'rita@example.test', name: 'Rita Risk (SSO)', groups: ['staff', 'risk'] },
  mallory: { sub: 'sub-mallory-c0de', preferred_username: 'mallory.sso', email: 'mallory@example.test', name: 'Mallory Contractor', groups: ['contractors'] },
};

/** Stores the provider's state in memory (the package warns when it has to pick its own). */
class MemoryStore {
  static items = new Map();

  constructor(model) { this.model = model; }
  key(id) { return `${this.model}:${id}`; }

  async upsert(id, payload, expiresIn) {
    const expires = expiresIn ? Date.now() + expiresIn * 1000 : Infinity;
    MemoryStore.items.set(this.key(id), { payload, expires });
  }

  async find(id) {
    const item = MemoryStore.items.get(this.key(id));
    if (!item) return undefined;
    if (item.expires < Date.now()) { MemoryStore.items.delete(this.key(id)); return undefined; }
    return item.payload;
  }

  async findByUid(uid) {
    for (const [key, item] of MemoryStore.items) {
      if (key.startsWith(`${this.model}:`) && item.payload.uid === uid) return this.find(key.slice(this.model.length + 1));
    }
    return undefined;
  }

  async findByUserCode(userCode) {
    for (const [key, item] of MemoryStore.items) {
      if (key.startsWith(`${this.model}:`) && item.payload.userCode === userCode) return this.find(key.slice(this.model.length + 1));
    }
    return undefined;
  }

  async consume(id) {
    const item = MemoryStore.items.get(this.key(id));
    if (item) item.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) { MemoryStore.items.delete(this.key(id)); }

  async revokeByGrantId(grantId) {
    for (const [key, item] of MemoryStore.items) {
      if (item.payload.grantId === grantId) MemoryStore.items.delete(key);
    }
  }
}

// The development login and consent pages are what these tests want; the package announces
// them (and a few other development notices) on the console each time. Keep the test output to
// the tests' own lines.
const quiet = (write) => (...args) => {
  if (typeof args[0] === 'string' && /^oidc-provider (WARNING|NOTICE)/.test(args[0])) return;
  write(...args);
};
console.warn = quiet(console.warn.bind(console));
console.info = quiet(console.info.bind(console));

/**
 * Starts the provider on 127.0.0.1:`port` for a client whose callback is `redirectUri`.
 * Returns the issuer URL, the client's credentials and a `close` function.
 */
export async function startProvider({ port, redirectUri }) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };
  const client = { client_id: 'aims-test', client_secret: randomBytes(24).toString('hex') };
  const provider = new Provider(issuer, {
    adapter: MemoryStore,
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    clients: [{
      ...client,
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    // aims always sends a PKCE challenge; make the provider insist on it, so that a
    // regression fails here rather than passing quietly.
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      groups: ['groups'],
    },
    async findAccount(_ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, async claims() { return { ...account } ; } };
    },
    features: { devInteractions: { enabled: true } },
  });
  // The dev login form uses the login as the account id, so map sign-in names to accounts.
  const server = await new Promise((ok, fail) => {
    const s = provider.listen(port, '127.0.0.1', () => ok(s));
    s.on('error', fail);
  });
  return {
    issuer,
    ...client,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
