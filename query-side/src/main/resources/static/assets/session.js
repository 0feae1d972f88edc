// What both pages share: signing in (with the OpenID Connect provider, see signin.js, or by pasting
// a token), the token (sessionStorage, this tab only), API calls with it, the live feed read from a
// fetch() stream, and formatting. The pages hold no data of their own: everything comes from the
// query API with the token of the person signed in.
import * as provider from './signin.js';

const TOKEN = 'ledgerline.token';
const NOTICE = 'ledgerline.notice';
// While the provider cannot be reached, its access token's refresh is tried again this often.
const RETRY_REFRESH_MILLIS = 10000;

/** Thrown into a page's code once the session ended (signed out, or the token was refused). */
export class SessionEnded extends Error {}

/** An API answer other than 2xx, with a message fit to show. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let current = null;
// The page's settings (signin.js): the provider to sign in with, if any, and the roles claim.
let settings = { signIn: null, rolesClaim: 'roles' };

/**
 * Wires the sign-in (the provider's button, the token form) and the sign-out button; calls
 * start(session) once signed in. Back from the provider, the sign-in is completed first. A session
 * ends on sign-out or on the first 401: the page loads again, so nothing of it stays, and shows the
 * sign-in form with the reason.
 */
export function startSession(start) {
  const form = document.getElementById('sign-in-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = form.elements.token.value.trim().replace(/^Bearer\s+/i, '');
    if (claimsOf(token) === null) {
      showSignIn('That is not a token: paste the whole output of the token command.');
      return;
    }
    provider.forget();
    sessionStorage.setItem(TOKEN, token);
    form.reset();
    begin(start);
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    end('You signed out.', { atProvider: true });
  });
  resume(start).catch((error) => {
    console.error(error);
    showSignIn('Something went wrong signing in: ' + error.message);
  });
}

async function resume(start) {
  settings = await provider.dashboardConfig();
  offerProviderSignIn();
  if (settings.signIn !== null) {
    let returnTo;
    try {
      returnTo = await provider.finishSignIn(settings.signIn);
    } catch (error) {
      provider.forget();
      sessionStorage.removeItem(TOKEN);
      showSignIn(signInMessage(error));
      return;
    }
    if (returnTo !== null) {
      sessionStorage.removeItem(NOTICE);
      sessionStorage.setItem(TOKEN, provider.accessToken());
      if (returnTo !== window.location.pathname + window.location.search) {
        window.location.replace(returnTo);
        return;
      }
    }
  }
  const notice = sessionStorage.getItem(NOTICE);
  sessionStorage.removeItem(NOTICE);
  if (notice === null && (sessionStorage.getItem(TOKEN) || provider.signedIn())) {
    begin(start);
  } else {
    showSignIn(notice || '');
  }
}

/** The provider's "Sign in" button, when the page signs in with one (added where it is missing). */
function offerProviderSignIn() {
  if (settings.signIn === null) {
    return;
  }
  let offer = document.getElementById('provider-sign-in');
  if (offer === null) {
    offer = el(
      'div',
      { id: 'provider-sign-in' },
      el('button', { type: 'button', id: 'provider-sign-in-button' }, 'Sign in'),
      el(
        'p',
        { class: 'hint' },
        'with your account at ',
        el('span', { id: 'provider-name' }),
        ', or paste a token:'
      )
    );
    document.getElementById('sign-in-form').before(offer);
  }
  document.getElementById('provider-name').textContent = provider.providerName(settings.signIn);
  const button = document.getElementById('provider-sign-in-button');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await provider.startSignIn(settings.signIn);
    } catch (error) {
      showSignIn(signInMessage(error));
      button.disabled = false;
    }
  });
  // Back from the provider through the browser's history: the button works again.
  window.addEventListener('pageshow', () => {
    button.disabled = false;
  });
  offer.hidden = false;
}

function signInMessage(error) {
  if (error instanceof provider.SignInError) {
    return error.message;
  }
  console.error(error);
  return 'Signing in failed: ' + (error && error.message ? error.message : error) + '.';
}

async function begin(start) {
  const viaProvider = provider.signedIn() && settings.signIn !== null;
  if (viaProvider) {
    try {
      sessionStorage.setItem(TOKEN, await provider.freshAccessToken(settings.signIn));
    } catch (error) {
      end(signInMessage(error));
      return;
    }
  } else {
    // Tokens of a provider the page no longer signs in with: not used.
    provider.forget();
  }
  const token = sessionStorage.getItem(TOKEN);
  if (!token) {
    showSignIn('');
    return;
  }
  const session = new Session(token, viaProvider);
  current = session;
  document.getElementById('sign-in').hidden = true;
  document.getElementById('app').hidden = false;
  showWho(session);
  if (viaProvider) {
    session.keepFresh();
  }
  start(session);
}

/** Who is signed in, with the roles their token carries (as the service reads them). */
function showWho(session) {
  const claims = session.claims;
  const who = document.getElementById('who');
  const roles = session.roles.length > 0 ? session.roles.join(', ') : 'no roles';
  let how = '';
  if (session.viaProvider) {
    how = ' \u00b7 signed in at ' + provider.providerName(settings.signIn);
  } else if (claims.exp) {
    how = ' \u00b7 token valid until ' + time(new Date(claims.exp * 1000));
  }
  const name = claims.preferred_username || claims.sub || 'unknown';
  who.textContent = name + ' (' + roles + ')' + how;
  who.dataset.subject = claims.sub || '';
  who.dataset.roles = session.roles.join(' ');
  who.dataset.signedInWith = session.viaProvider ? 'provider' : 'token';
}

/**
 * Ends the current session: the page loads again, with the sign-in form and this message. Signed
 * in with the provider, the refresh token is revoked; atProvider (the sign-out button) also ends
 * the session at the provider, which sends the browser back here.
 */
export async function end(message, { atProvider = false } = {}) {
  if (current) {
    current.close();
    current = null;
  }
  sessionStorage.removeItem(TOKEN);
  sessionStorage.setItem(NOTICE, message);
  if (provider.signedIn()) {
    if (atProvider && settings.signIn !== null) {
      if (await provider.signOut(settings.signIn)) {
        return;
      }
    } else {
      provider.abandon(settings.signIn);
    }
  }
  window.location.reload();
}

function showSignIn(message) {
  document.getElementById('app').hidden = true;
  document.getElementById('sign-in').hidden = false;
  const shown = document.getElementById('sign-in-message');
  shown.textContent = message;
  shown.hidden = !message;
  const offered = document.getElementById('provider-sign-in');
  document.getElementById(offered && !offered.hidden ? 'provider-sign-in-button' : 'token').focus();
}

function refused(session) {
  const claims = session.claims;
  if (session.viaProvider) {
    return 'Your sign-in is no longer accepted: it expired or was ended. Sign in again.';
  }
  if (claims && typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) {
    return (
      'Your token expired at ' +
      time(new Date(claims.exp * 1000)) +
      '. Get a new one and sign in again.'
    );
  }
  return (
    'Your token was not accepted: it has expired, or it was not issued for this service.' +
    ' Get a new one and sign in again.'
  );
}

/** The claims of a JWT, or null when it is not one; only for display, the service checks it. */
function claimsOf(token) {
  return provider.claimsOf(token);
}

/**
 * The roles in a token's claims, read as the service reads them (ledgerline.security.jwt.roles-
 * claim): a top-level claim of that name, else a dotted path into nested claims; a list, or a
 * string of space-separated roles. For display and for what the page offers; the service decides.
 */
export function rolesOf(claims, claim) {
  let value = claims[claim];
  if (value === undefined && claim.includes('.')) {
    value = claims;
    for (const segment of claim.split('.')) {
      const nested = value !== null && typeof value === 'object' && !Array.isArray(value);
      value = nested ? value[segment] : undefined;
    }
  }
  if (Array.isArray(value)) {
    return value.filter((role) => role !== null && role !== undefined).map(String);
  }
  if (typeof value === 'string' && value.trim()) {
    return value.trim().split(/\s+/);
  }
  return [];
}

class Session {
  constructor(token, viaProvider) {
    this.viaProvider = viaProvider;
    this.aborter = new AbortController();
    this.timers = [];
    this.refreshTimer = null;
    this.use(token);
  }

  use(token) {
    this.token = token;
    this.claims = claimsOf(token) || {};
    this.roles = rolesOf(this.claims, settings.rolesClaim);
  }

  /** The token for the next call: the provider's is refreshed first when it is about to expire. */
  async currentToken() {
    if (!this.viaProvider) {
      return this.token;
    }
    let token;
    try {
      token = await provider.freshAccessToken(settings.signIn);
    } catch (error) {
      if (current === this) {
        end(signInMessage(error));
      }
      throw new SessionEnded();
    }
    if (this.ended) {
      throw new SessionEnded();
    }
    if (token !== this.token) {
      sessionStorage.setItem(TOKEN, token);
      this.use(token);
      showWho(this);
    }
    return token;
  }

  /** Refreshes the provider's access token shortly before it expires, for as long as this lasts. */
  keepFresh() {
    const due = provider.refreshDue();
    if (due === null || this.ended) {
      return;
    }
    this.refreshTimer = setTimeout(async () => {
      try {
        await this.currentToken();
      } catch (error) {
        return; // the session ended
      }
      this.keepFresh();
    }, due > Date.now() ? due - Date.now() : RETRY_REFRESH_MILLIS);
  }

  get signal() {
    return this.aborter.signal;
  }

  get ended() {
    return this.aborter.signal.aborted;
  }

  close() {
    this.aborter.abort();
    this.timers.forEach((timer) => clearInterval(timer));
    clearTimeout(this.refreshTimer);
  }

  /** Runs task every `millis` while the session lasts. */
  every(millis, task) {
    this.timers.push(setInterval(() => this.ended || task(), millis));
  }

  /** Calls the API; resolves to the parsed JSON body. A 401 ends the session. */
  async api(path, { method = 'GET', body } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await problem(response);
    }
    return response.json();
  }

  /** Calls the API with the session's token; a 401 ends the session. */
  async fetch(path, options) {
    if (this.ended) {
      throw new SessionEnded();
    }
    const token = await this.currentToken();
    const headers = { ...options.headers, Authorization: 'Bearer ' + token };
    let response;
    try {
      response = await fetch(path, { ...options, headers, signal: this.signal, cache: 'no-store' });
    } catch (e) {
      if (this.ended) {
        throw new SessionEnded();
      }
      throw new ApiError(0, 'The query service cannot be reached; retrying.');
    }
    if (response.status === 401) {
      if (current === this) {
        end(refused(this));
      }
      throw new SessionEnded();
    }
    return response;
  }

  /**
   * Follows a server-sent event stream with the token in a header (EventSource cannot send one),
   * parsing the events itself; reconnects with Last-Event-ID, so nothing is missed or repeated.
   * handlers: open(), event({type, id, data}), error(message).
   */
  async follow(path, handlers) {
    let lastEventId = null;
    let backoff = 1000;
    while (!this.ended) {
      try {
        const headers = { Accept: 'text/event-stream' };
        if (lastEventId !== null) {
          headers['Last-Event-ID'] = lastEventId;
        }
        const response = await this.fetch(path, { headers });
        if (!response.ok) {
          throw await problem(response);
        }
        handlers.open();
        backoff = 1000;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let event = { type: 'message', id: null, data: [] };
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffer += value;
          const lines = buffer.split('\n');
          buffer = lines.pop();
          for (const raw of lines) {
            const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
            if (line === '') {
              if (event.data.length > 0) {
                if (event.id !== null) {
                  lastEventId = event.id;
                }
                handlers.event({ type: event.type, id: event.id, data: event.data.join('\n') });
              }
              event = { type: 'message', id: null, data: [] };
              continue;
            }
            if (line.startsWith(':')) {
              continue; // a comment
            }
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let content = colon < 0 ? '' : line.slice(colon + 1);
            if (content.startsWith(' ')) {
              content = content.slice(1);
            }
            if (field === 'data') {
              event.data.push(content);
            } else if (field === 'event') {
              event.type = content;
            } else if (field === 'id') {
              event.id = content;
            }
          }
        }
        handlers.error('The feed closed; reconnecting.');
      } catch (e) {
        if (e instanceof SessionEnded || this.ended) {
          return;
        }
        handlers.error(e instanceof ApiError ? e.message : 'The feed was interrupted; reconnecting.');
        if (e instanceof ApiError && e.status === 403) {
          return;
        }
        if (e instanceof ApiError && e.status === 400 && lastEventId !== null) {
          // An id this server does not know (one from before an upgrade): start at the present.
          lastEventId = null;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 30000);
    }
  }
}

async function problem(response) {
  let detail = null;
  try {
    const body = await response.json();
    detail = body && typeof body.detail === 'string' ? body.detail : null;
  } catch (e) {
    // Not a problem document; the status says enough.
  }
  if (response.status === 403) {
    return new ApiError(403, 'Your token\u2019s roles may not see this.');
  }
  if (response.status === 404) {
    return new ApiError(404, detail ? 'Not found: ' + detail + '.' : 'Not found.');
  }
  if (response.status === 429 || response.status === 503) {
    return new ApiError(response.status, 'The service is busy; retrying.');
  }
  return new ApiError(
    response.status,
    'The service answered ' + response.status + (detail ? ': ' + detail : '') + '.'
  );
}

/** Shows an error in a section's message line, or clears it (message null). */
export function report(id, error) {
  if (error instanceof SessionEnded) {
    return;
  }
  const line = document.getElementById(id);
  if (error === null) {
    line.textContent = '';
    line.hidden = true;
    return;
  }
  line.textContent =
    error instanceof ApiError ? error.message : 'Something went wrong showing this part.';
  line.hidden = false;
  if (!(error instanceof ApiError)) {
    console.error(error);
  }
}

/** An element with attributes (data-* as given) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

const fractionDigits = new Map();

/** The currency's decimal places, as ISO 4217 has them (JPY 0, EUR 2, BHD 3). */
export function digitsOf(currency) {
  let digits = fractionDigits.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits;
    } catch (e) {
      digits = 2;
    }
    fractionDigits.set(currency, digits);
  }
  return digits;
}

/** Minor units of a currency in its major unit, e.g. 1250 EUR as €12.50. */
export function money(minor, currency) {
  const digits = digitsOf(currency);
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(minor / 10 ** digits);
  } catch (e) {
    return (minor / 10 ** digits).toFixed(digits) + ' ' + currency;
  }
}

/** Minor units as a number of major units (for charts). */
export function major(minor, currency) {
  return minor / 10 ** digitsOf(currency);
}

export function time(date) {
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** A link to an account's page. */
export function accountLink(accountId) {
  return el(
    'a',
    { href: '/account.html?id=' + encodeURIComponent(accountId), class: 'id', title: accountId },
    accountId.length > 13 ? accountId.slice(0, 8) + '\u2026' + accountId.slice(-4) : accountId
  );
}

/** Opens the account page of the id typed into a form with an `account` field. */
export function accountForm(formId) {
  const form = document.getElementById(formId);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = form.elements.account.value.trim();
    if (id) {
      window.location.assign('/account.html?id=' + encodeURIComponent(id));
    }
  });
}

/** Replaces a tbody's rows, or shows one row saying there is nothing. */
export function fill(tbody, rows, columns, empty) {
  tbody.replaceChildren(
    ...(rows.length > 0 ? rows : [el('tr', { class: 'empty' }, el('td', { colspan: columns }, empty))])
  );
}
