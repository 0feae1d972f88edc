// Signing in with the OpenID Connect provider the query side names (GET /dashboard/config.json):
// authorization code with PKCE (S256) as the public client it names, from this page. The tokens
// stay in this tab (sessionStorage); the access token is refreshed shortly before it expires, and
// each refresh stores the new refresh token the provider rotates in. Signing out revokes the
// refresh token and ends the session at the provider. The services check every token; what is
// decoded here is for the page's own checks and for display.

const CONFIG_PATH = '/dashboard/config.json';
// While the browser is at the provider: state, nonce, verifier, the page to return to.
const PENDING = 'ledgerline.oidc.pending';
// Once signed in: the tokens, their expiry and the provider's endpoints.
const TOKENS = 'ledgerline.oidc';
// A pending sign-in older than this is not finished.
const PENDING_MILLIS = 10 * 60 * 1000;
// The access token is refreshed this long before it expires (or halfway, if it lives shorter).
const REFRESH_MARGIN_MILLIS = 60 * 1000;
const CLOCK_SKEW_SECONDS = 120;
const CALL_TIMEOUT_MILLIS = 10000;

/** A sign-in that failed, with a message fit to show. */
export class SignInError extends Error {}

let settings = null;

/**
 * The page's settings: {signIn: {issuer, clientId, scope} or null, rolesClaim}. Without them (an
 * older service, or none configured) the page takes pasted tokens only.
 */
export function dashboardConfig() {
  if (settings === null) {
    settings = fetch(CONFIG_PATH, { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then((response) => (response.ok ? response.json() : {}))
      .catch(() => ({}))
      .then((config) => ({
        signIn: validSignIn(config && config.signIn),
        rolesClaim: config && typeof config.rolesClaim === 'string' ? config.rolesClaim : 'roles',
      }));
  }
  return settings;
}

function validSignIn(signIn) {
  if (
    signIn &&
    typeof signIn.issuer === 'string' &&
    /^https?:\/\//.test(signIn.issuer) &&
    typeof signIn.clientId === 'string' &&
    signIn.clientId
  ) {
    return {
      issuer: signIn.issuer,
      clientId: signIn.clientId,
      scope: typeof signIn.scope === 'string' && signIn.scope ? signIn.scope : 'openid profile',
    };
  }
  return null;
}

/** Where the provider sends the browser back: this page's origin, as registered. */
function redirectUri() {
  return window.location.origin + '/';
}

/** The host (and port) of the provider, for the page to name it. */
export function providerName(signIn) {
  try {
    return new URL(signIn.issuer).host;
  } catch (e) {
    return signIn.issuer;
  }
}

/**
 * Starts signing in: the provider's metadata, a PKCE verifier and its S256 challenge, a random
 * state and nonce, then the browser goes to the authorization endpoint. Back at this origin's "/",
 * finishSignIn() completes it.
 */
export async function startSignIn(signIn) {
  if (!window.isSecureContext || !window.crypto || !window.crypto.subtle) {
    throw new SignInError(
      'Signing in with the provider needs this page over HTTPS (or at 127.0.0.1): paste a token' +
        ' instead.'
    );
  }
  const metadata = await discover(signIn);
  const verifier = random(32);
  const challenge = base64Url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)))
  );
  const state = random(16);
  const nonce = random(16);
  const here = window.location.pathname + window.location.search;
  sessionStorage.setItem(
    PENDING,
    JSON.stringify({
      issuer: signIn.issuer,
      state,
      nonce,
      verifier,
      returnTo: here.startsWith('/') && !here.startsWith('//') ? here : '/',
      startedAt: Date.now(),
    })
  );
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: signIn.clientId,
    redirect_uri: redirectUri(),
    scope: signIn.scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  window.location.assign(metadata.authorization_endpoint + '?' + query);
}

/**
 * Completes a sign-in when the provider has just sent the browser back (a code or an error, with
 * the state): the code and state leave the address at once, the state must be the one this tab
 * sent, and the code is exchanged for tokens with the verifier. Resolves to null when there is
 * nothing to complete, else to the page the sign-in started from; throws a SignInError.
 */
export async function finishSignIn(signIn) {
  const query = new URLSearchParams(window.location.search);
  if (!query.has('state') || !(query.has('code') || query.has('error'))) {
    return null;
  }
  // Nothing of the answer stays in the address, the history or a bookmark.
  window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  const pending = readJson(PENDING);
  sessionStorage.removeItem(PENDING);
  if (
    pending === null ||
    pending.issuer !== signIn.issuer ||
    typeof pending.state !== 'string' ||
    pending.state !== query.get('state') ||
    Date.now() - pending.startedAt > PENDING_MILLIS
  ) {
    throw new SignInError(
      'That sign-in was not started from this tab, or took too long. Sign in again.'
    );
  }
  if (query.has('error')) {
    const reason = query.get('error_description') || query.get('error');
    throw new SignInError('The provider did not sign you in (' + reason + ').');
  }
  if (query.has('iss') && query.get('iss') !== signIn.issuer) {
    throw new SignInError('The sign-in answer came from another provider. Sign in again.');
  }
  const metadata = await discover(signIn);
  const answer = await tokenCall(metadata.token_endpoint, {
    grant_type: 'authorization_code',
    code: query.get('code'),
    redirect_uri: redirectUri(),
    client_id: signIn.clientId,
    code_verifier: pending.verifier,
  });
  if (!answer.ok) {
    throw new SignInError(
      'The provider did not issue tokens (' + answer.error + '). Sign in again.'
    );
  }
  await store(signIn, metadata, answer.tokens, null, pending.nonce);
  return pending.returnTo;
}

/** Whether this tab holds tokens of the provider. */
export function signedIn() {
  return readJson(TOKENS) !== null;
}

/** The current access token (the API takes it as the pasted one), or null. */
export function accessToken() {
  const tokens = readJson(TOKENS);
  return tokens === null ? null : tokens.accessToken;
}

/** When the access token is to be refreshed (epoch milliseconds), or null. */
export function refreshDue() {
  const tokens = readJson(TOKENS);
  return tokens === null ? null : tokens.refreshAt;
}

let refreshing = null;

/**
 * The access token, refreshed first if it expires within the margin: one refresh at a time, since
 * each refresh token works once. Resolves to the token; a refresh the provider refuses (the refresh
 * token expired, was revoked, or its user disabled) throws a SignInError; while the provider cannot
 * be reached the current token is kept, for as long as the services take it.
 */
export function freshAccessToken(signIn) {
  const tokens = readJson(TOKENS);
  if (tokens === null) {
    return Promise.reject(new SignInError('You are not signed in.'));
  }
  if (Date.now() < tokens.refreshAt) {
    return Promise.resolve(tokens.accessToken);
  }
  if (refreshing === null) {
    refreshing = refresh(signIn, tokens).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function refresh(signIn, tokens) {
  if (!tokens.refreshToken) {
    if (Date.now() < tokens.expiresAt) {
      return tokens.accessToken;
    }
    throw new SignInError('Your sign-in expired. Sign in again.');
  }
  let answer;
  try {
    answer = await tokenCall(tokens.tokenEndpoint, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken,
      client_id: signIn.clientId,
    });
  } catch (e) {
    // The provider cannot be reached: keep the token; the services say when it no longer works.
    return tokens.accessToken;
  }
  if (!answer.ok && answer.status !== 400 && answer.status !== 401) {
    // A passing failure of the provider: keep the token while the services take it.
    return tokens.accessToken;
  }
  if (!answer.ok) {
    forget();
    throw new SignInError(
      'Your sign-in ended at the provider (' + answer.error + '). Sign in again.'
    );
  }
  const metadata = {
    token_endpoint: tokens.tokenEndpoint,
    revocation_endpoint: tokens.revocationEndpoint,
    end_session_endpoint: tokens.endSessionEndpoint,
    jwks_uri: tokens.jwksUri,
  };
  try {
    return await store(signIn, metadata, answer.tokens, tokens, null);
  } catch (e) {
    forget();
    throw e;
  }
}

/**
 * Signs out at the provider: the refresh token is revoked (if the provider can revoke), the tab
 * forgets the tokens, and the browser goes to the provider's end-session endpoint with the latest
 * ID token, which sends it back to this origin's "/". Resolves to false when the provider has no
 * such endpoint (the caller reloads the page instead).
 */
export async function signOut(signIn) {
  const tokens = readJson(TOKENS);
  forget();
  if (tokens === null) {
    return false;
  }
  if (tokens.revocationEndpoint && tokens.refreshToken) {
    try {
      await call(tokens.revocationEndpoint, {
        token: tokens.refreshToken,
        token_type_hint: 'refresh_token',
        client_id: signIn.clientId,
      });
    } catch (e) {
      // Unreachable: the refresh token expires by itself; the session still ends below.
    }
  }
  if (!tokens.endSessionEndpoint) {
    return false;
  }
  const query = new URLSearchParams({
    client_id: signIn.clientId,
    post_logout_redirect_uri: redirectUri(),
  });
  if (tokens.idToken) {
    query.set('id_token_hint', tokens.idToken);
  }
  window.location.assign(tokens.endSessionEndpoint + '?' + query);
  return true;
}

/**
 * The tab forgets the tokens and revokes the refresh token, if any, without going to the provider
 * (the request outlives a reload of the page). For a session the services ended.
 */
export function abandon(signIn) {
  const tokens = readJson(TOKENS);
  forget();
  if (signIn && tokens !== null && tokens.revocationEndpoint && tokens.refreshToken) {
    call(
      tokens.revocationEndpoint,
      { token: tokens.refreshToken, token_type_hint: 'refresh_token', client_id: signIn.clientId },
      true
    ).catch(() => {});
  }
}

/** Forgets the provider's tokens in this tab. */
export function forget() {
  sessionStorage.removeItem(TOKENS);
}

// --- the provider

const discovered = new Map();

/** The provider's metadata, whose issuer must be the one configured. */
function discover(signIn) {
  if (!discovered.has(signIn.issuer)) {
    const url = signIn.issuer.replace(/\/$/, '') + '/.well-known/openid-configuration';
    const metadata = (async () => {
      let response;
      try {
        response = await fetch(url, {
          headers: { Accept: 'application/json' },
          credentials: 'omit',
          signal: timeout(),
        });
      } catch (e) {
        throw new SignInError('The sign-in provider cannot be reached now. Try again shortly.');
      }
      const body = response.ok ? await response.json().catch(() => null) : null;
      if (
        body === null ||
        body.issuer !== signIn.issuer ||
        typeof body.authorization_endpoint !== 'string' ||
        typeof body.token_endpoint !== 'string' ||
        typeof body.jwks_uri !== 'string'
      ) {
        throw new SignInError(
          'The sign-in provider\u2019s metadata is not what this page expects.'
        );
      }
      return body;
    })();
    metadata.catch(() => discovered.delete(signIn.issuer));
    discovered.set(signIn.issuer, metadata);
  }
  return discovered.get(signIn.issuer);
}

/**
 * A form-encoded POST to the provider (a simple CORS request: no preflight); resolves to the
 * response, throws when the provider cannot be reached. With keepalive it outlives the page.
 */
function call(url, parameters, keepalive = false) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: new URLSearchParams(parameters),
    credentials: 'omit',
    cache: 'no-store',
    keepalive,
    signal: keepalive ? undefined : timeout(),
  });
}

/** A token request: {ok: true, tokens} or {ok: false, error}. */
async function tokenCall(url, parameters) {
  let response;
  try {
    response = await call(url, parameters);
  } catch (e) {
    if (parameters.grant_type === 'refresh_token') {
      throw e;
    }
    throw new SignInError('The sign-in provider cannot be reached now. Try again shortly.');
  }
  const body = await response.json().catch(() => null);
  if (response.ok && body && typeof body.access_token === 'string') {
    return { ok: true, tokens: body };
  }
  return {
    ok: false,
    status: response.status,
    error: (body && (body.error_description || body.error)) || 'HTTP ' + response.status,
  };
}

/**
 * Checks an answer's ID token (signature by the provider's published key, issuer, audience,
 * expiry, and the nonce on a code exchange) and keeps the tokens; a refresh answer without a new
 * refresh or ID token keeps the previous one. Resolves to the access token.
 */
async function store(signIn, metadata, answer, previous, nonce) {
  let idToken = previous ? previous.idToken : null;
  if (typeof answer.id_token === 'string') {
    const claims = await verifiedIdToken(signIn, metadata.jwks_uri, answer.id_token);
    if (nonce !== null && claims.nonce !== nonce) {
      throw new SignInError(
        'The sign-in answer was not for this tab\u2019s request. Sign in again.'
      );
    }
    if (previous && previous.subject && claims.sub !== previous.subject) {
      throw new SignInError('The provider answered for someone else. Sign in again.');
    }
    idToken = answer.id_token;
  } else if (previous === null && signIn.scope.split(' ').includes('openid')) {
    throw new SignInError('The provider sent no ID token. Sign in again.');
  }
  const claims = claimsOf(answer.access_token);
  const lifetime = Number(answer.expires_in);
  const expiresAt =
    Number.isFinite(lifetime) && lifetime > 0
      ? Date.now() + lifetime * 1000
      : claims && typeof claims.exp === 'number'
        ? claims.exp * 1000
        : Date.now() + 5 * 60 * 1000;
  // A minute before it expires, or halfway through a shorter life.
  const life = Math.max(0, expiresAt - Date.now());
  const refreshAt = Date.now() + Math.max(life - REFRESH_MARGIN_MILLIS, life / 2);
  const tokens = {
    issuer: signIn.issuer,
    accessToken: answer.access_token,
    refreshToken:
      typeof answer.refresh_token === 'string'
        ? answer.refresh_token
        : previous
          ? previous.refreshToken
          : null,
    idToken,
    subject: idToken ? claimsOf(idToken).sub : null,
    expiresAt,
    refreshAt,
    tokenEndpoint: metadata.token_endpoint,
    revocationEndpoint: metadata.revocation_endpoint || null,
    endSessionEndpoint: metadata.end_session_endpoint || null,
    jwksUri: metadata.jwks_uri,
  };
  sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
  return tokens.accessToken;
}

const ALGORITHMS = {
  RS256: {
    key: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    verify: { name: 'RSASSA-PKCS1-v1_5' },
    jwk: (key) => ({ kty: 'RSA', n: key.n, e: key.e }),
  },
  ES256: {
    key: { name: 'ECDSA', namedCurve: 'P-256' },
    verify: { name: 'ECDSA', hash: 'SHA-256' },
    jwk: (key) => ({ kty: 'EC', crv: 'P-256', x: key.x, y: key.y }),
  },
};

/** The claims of an ID token the provider signed with a key of its JWK set, for this client. */
async function verifiedIdToken(signIn, jwksUri, token) {
  const parts = token.split('.');
  const header = parts.length === 3 ? decodePart(parts[0]) : null;
  const claims = claimsOf(token);
  const algorithm = header && ALGORITHMS[header.alg];
  if (!algorithm || claims === null) {
    throw new SignInError('The provider\u2019s ID token cannot be checked here. Sign in again.');
  }
  let keys;
  try {
    const response = await fetch(jwksUri, {
      headers: { Accept: 'application/json' },
      credentials: 'omit',
      signal: timeout(),
    });
    keys = response.ok ? (await response.json()).keys : null;
  } catch (e) {
    keys = null;
  }
  const jwk = Array.isArray(keys)
    ? keys.find((key) => key.kid === header.kid && (!key.use || key.use === 'sig'))
    : null;
  let valid = false;
  if (jwk) {
    try {
      const key = await crypto.subtle.importKey(
        'jwk',
        algorithm.jwk(jwk),
        algorithm.key,
        false,
        ['verify']
      );
      valid = await crypto.subtle.verify(
        algorithm.verify,
        key,
        base64UrlBytes(parts[2]),
        new TextEncoder().encode(parts[0] + '.' + parts[1])
      );
    } catch (e) {
      valid = false;
    }
  }
  const now = Date.now() / 1000;
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (
    !valid ||
    claims.iss !== signIn.issuer ||
    !audience.includes(signIn.clientId) ||
    typeof claims.exp !== 'number' ||
    claims.exp + CLOCK_SKEW_SECONDS < now
  ) {
    throw new SignInError('The provider\u2019s ID token did not check out. Sign in again.');
  }
  return claims;
}

// --- encoding

/** The claims of a JWT, or null when it is not one; no signature is checked. */
export function claimsOf(token) {
  const parts = (token || '').split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
    return null;
  }
  return decodePart(parts[1]);
}

function decodePart(part) {
  try {
    const value = JSON.parse(new TextDecoder().decode(base64UrlBytes(part)));
    return value !== null && typeof value === 'object' ? value : null;
  } catch (e) {
    return null;
  }
}

function base64UrlBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function base64Url(bytes) {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** `bytes` random bytes, base64url: 32 make a PKCE verifier of 43 characters. */
function random(bytes) {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function readJson(key) {
  try {
    const value = JSON.parse(sessionStorage.getItem(key));
    return value !== null && typeof value === 'object' ? value : null;
  } catch (e) {
    return null;
  }
}

function timeout() {
  return typeof AbortSignal.timeout === 'function'
    ? AbortSignal.timeout(CALL_TIMEOUT_MILLIS)
    : undefined;
}
