// What both pages share: the sign-in form, the token (sessionStorage, this tab only), API calls
// with it, the live feed read from a fetch() stream, and formatting. The pages hold no data of their
// own: everything comes from the query API with the token the user pasted.

const TOKEN = 'ledgerline.token';
const NOTICE = 'ledgerline.notice';

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

/**
 * Wires the sign-in form and the sign-out button; calls start(session) once a token is there. A
 * session ends on sign-out or on the first 401: the page loads again, so nothing of it stays, and
 * shows the sign-in form with the reason.
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
    sessionStorage.setItem(TOKEN, token);
    form.reset();
    begin(start);
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    end('You signed out.');
  });
  const notice = sessionStorage.getItem(NOTICE);
  sessionStorage.removeItem(NOTICE);
  if (notice === null && sessionStorage.getItem(TOKEN)) {
    begin(start);
  } else {
    showSignIn(notice || '');
  }
}

function begin(start) {
  const token = sessionStorage.getItem(TOKEN);
  const claims = claimsOf(token) || {};
  const session = new Session(token, claims);
  current = session;
  document.getElementById('sign-in').hidden = true;
  document.getElementById('app').hidden = false;
  const who = document.getElementById('who');
  const roles = Array.isArray(claims.roles) ? claims.roles.join(', ') : 'no roles';
  const until = claims.exp ? ' · token valid until ' + time(new Date(claims.exp * 1000)) : '';
  who.textContent = (claims.sub || 'unknown') + ' (' + roles + ')' + until;
  start(session);
}

/** Ends the current session: the page loads again, with the sign-in form and this message. */
export function end(message) {
  if (current) {
    current.close();
    current = null;
  }
  sessionStorage.removeItem(TOKEN);
  sessionStorage.setItem(NOTICE, message);
  window.location.reload();
}

function showSignIn(message) {
  document.getElementById('app').hidden = true;
  document.getElementById('sign-in').hidden = false;
  const shown = document.getElementById('sign-in-message');
  shown.textContent = message;
  shown.hidden = !message;
  document.getElementById('token').focus();
}

function refused(claims) {
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
  const parts = (token || '').split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)));
    return claims !== null && typeof claims === 'object' ? claims : null;
  } catch (e) {
    return null;
  }
}

class Session {
  constructor(token, claims) {
    this.token = token;
    this.claims = claims;
    this.aborter = new AbortController();
    this.timers = [];
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
  }

  /** Runs task every `millis` while the session lasts. */
  every(millis, task) {
    this.timers.push(setInterval(() => this.ended || task(), millis));
  }

  /** Calls the API; resolves to the parsed JSON body. A 401 ends the session. */
  async api(path, { method = 'GET', body } = {}) {
    const headers = { Accept: 'application/json', Authorization: 'Bearer ' + this.token };
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

  async fetch(path, options) {
    if (this.ended) {
      throw new SessionEnded();
    }
    let response;
    try {
      response = await fetch(path, { ...options, signal: this.signal, cache: 'no-store' });
    } catch (e) {
      if (this.ended) {
        throw new SessionEnded();
      }
      throw new ApiError(0, 'The query service cannot be reached; retrying.');
    }
    if (response.status === 401) {
      if (current === this) {
        end(refused(this.claims));
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
        const headers = { Accept: 'text/event-stream', Authorization: 'Bearer ' + this.token };
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
