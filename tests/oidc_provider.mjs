// A real OpenID Provider for the sign-in tests: the npm package oidc-provider (a certified implementation),
// started on loopback by tests/oidc.py. Configuration by environment:
//   OP_PORT             the port on 127.0.0.1 (the issuer is http://127.0.0.1:<port>)
//   OP_NODE_MODULES     where npm installed oidc-provider and jose (.ci/node/node_modules)
//   OP_REDIRECT_URIS    the client's redirect URIs, comma-separated
//   OP_LOGOUT_URIS      the client's post-logout redirect URIs, comma-separated
//   OP_ACCOUNTS         JSON: {"<login>": {"email", "name", "groups": [...], "email_verified"}, ...}
//                       (email_verified: true when left out; null leaves the claim out of the token)
// Each start makes a new signing key (a new "kid"): restarting on the same port is a key rotation.
// Test controls (loopback only, never in a real provider):
//   POST /__test__/accounts  JSON body replaces the accounts (a person removed from a group at the provider)
//   POST /__test__/tamper    {"aud": "...", "exp_offset": -600, "nonce": "..."}: the next token response's ID token is re-signed
//                            by this provider's own key with that audience / expiry (a token for another client,
//                            an expired one)
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.OP_NODE_MODULES;
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const { default: Provider } = await load('oidc-provider/lib/index.js');
const jose = await load('jose/dist/webapi/index.js');

const port = Number(process.env.OP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const list = (name) => (process.env[name] || '').split(',').filter(Boolean);
let accounts = JSON.parse(process.env.OP_ACCOUNTS || '{}');
let tamper = null;

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: `k-${Date.now()}`, alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [{
    client_id: 'caseflow',
    client_secret: 'caseflow-test-secret',
    redirect_uris: list('OP_REDIRECT_URIS'),
    post_logout_redirect_uris: list('OP_LOGOUT_URIS'),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }, {
    client_id: 'other-service', client_secret: 'other-secret', redirect_uris: ['http://127.0.0.1/other'],
    grant_types: ['authorization_code'], response_types: ['code'],
  }],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },  // every client must use PKCE
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  conformIdTokenClaims: false,  // the claims in the ID token, as Entra ID and Keycloak send groups
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
  async findAccount(ctx, id) {
    const person = accounts[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        // email_verified as the person says (true when not given; null: the claim is left out, as Entra ID does)
        const claims = { sub: id, email: person.email, name: person.name, groups: person.groups };
        if (person.email_verified !== null) claims.email_verified = person.email_verified ?? true;
        return claims;
      },
    };
  },
  // Consent is the organisation's, not the employee's: the grant is made without asking.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);

provider.use(async (ctx, next) => {
  await next();
  if (tamper && ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    const payload = jose.decodeJwt(ctx.body.id_token);
    if (tamper.aud) payload.aud = tamper.aud;
    if (tamper.nonce) payload.nonce = tamper.nonce;
    if (tamper.exp_offset) {
      const now = Math.floor(Date.now() / 1000);
      payload.exp = now + tamper.exp_offset;
      payload.iat = payload.exp - 3600;
    }
    ctx.body.id_token = await new jose.SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid })
      .sign(await jose.importJWK(signingKey, 'RS256'));
    tamper = null;
  }
});

const app = provider.callback();
http.createServer((req, res) => {
  if (req.url.startsWith('/__test__/') && req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const data = JSON.parse(body || '{}');
      if (req.url === '/__test__/accounts') accounts = data;
      else if (req.url === '/__test__/tamper') tamper = data;
      res.writeHead(204).end();
    });
    return;
  }
  app(req, res);
}).listen(port, '127.0.0.1', () => console.log(`oidc-provider ready at ${issuer}`));
