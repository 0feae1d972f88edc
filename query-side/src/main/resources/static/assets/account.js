// One account: its read model, its movements, its card top-ups, and its audit history from the
// event store with the result of verifying its hash chain. Refreshes when the live feed shows a movement of it.
import { ApiError, accountForm, accountLink, el, fill, money, report, startSession, time } from './session.js';

const MOVEMENTS = {
  DEPOSIT: 'Deposit',
  WITHDRAWAL: 'Withdrawal',
  TRANSFER_DEBIT: 'Transfer out',
  TRANSFER_CREDIT: 'Transfer in',
  REVERSAL: 'Reversal',
};
const REFRESH_MILLIS = 15000;
const AUDITOR_NEEDED =
  'The audit history needs the auditor role: sign in with a token that has it' +
  ' (infra/bin/ledgerline token --role operator,auditor --sub me).';

const accountId = new URLSearchParams(window.location.search).get('id');

class AccountPage {
  constructor(session) {
    this.session = session;
    this.path = '/api/v1/accounts/' + encodeURIComponent(accountId);
    this.events = -1;
    this.pending = false;
  }

  async refresh() {
    await Promise.all([this.account(), this.transactions(), this.topUps(), this.audit()]);
    if (!this.session.ended) {
      document.getElementById('updated').textContent = time(new Date());
    }
  }

  async account() {
    try {
      const a = await this.session.api(this.path);
      report('account-error', null);
      const fact = (name, value, attributes = {}) => [el('dt', {}, name), el('dd', attributes, value)];
      document
        .getElementById('account')
        .replaceChildren(
          ...fact('Balance', money(a.balance, a.currency), { id: 'balance', 'data-balance': a.balance }),
          ...fact('Status', el('span', { class: 'status ' + a.status.toLowerCase() }, a.status), {
            id: 'status',
            'data-status': a.status,
          }),
          ...fact('Currency', a.currency),
          ...fact('Owner', a.ownerId || '\u2013'),
          ...fact('Overdraft limit', money(a.overdraftLimit, a.currency)),
          ...fact('Version', a.version, { id: 'version', 'data-version': a.version }),
          ...fact('Opened', a.openedAt ? time(new Date(a.openedAt)) : '\u2013'),
          ...fact('Updated', a.updatedAt ? time(new Date(a.updatedAt)) : '\u2013')
        );
    } catch (error) {
      report('account-error', error);
    }
  }

  async transactions() {
    try {
      const page = await this.session.api(this.path + '/transactions?order=desc&size=100');
      report('transactions-error', null);
      fill(
        document.querySelector('#transactions tbody'),
        page.items.map((t) =>
          el(
            'tr',
            {
              'data-transaction-id': t.transactionId,
              'data-type': t.type,
              'data-amount': t.signedAmount,
              class: t.signedAmount < 0 ? 'out' : 'in',
            },
            el('td', {}, el('time', { datetime: t.timestamp }, time(new Date(t.timestamp)))),
            el('td', {}, MOVEMENTS[t.type] || t.type),
            el('td', { class: 'num amount' }, money(t.signedAmount, t.currency)),
            el('td', { class: 'num' }, money(t.balanceAfter, t.currency)),
            t.referenceErased
              ? el('td', { class: 'erased' }, 'erased')
              : el('td', {}, t.reference || ''),
            el('td', {}, t.counterpartyAccountId ? accountLink(t.counterpartyAccountId) : '')
          )
        ),
        6,
        'No movements yet.'
      );
    } catch (error) {
      report('transactions-error', error);
    }
  }

  async topUps() {
    try {
      const page = await this.session.api(
        '/api/v1/topups?size=20&accountId=' + encodeURIComponent(accountId)
      );
      report('topups-error', null);
      fill(
        document.querySelector('#topups tbody'),
        page.items.map((u) =>
          el(
            'tr',
            { 'data-top-up-id': u.topUpId, 'data-status': u.status },
            el('td', {}, el('time', { datetime: u.requestedAt }, time(new Date(u.requestedAt)))),
            el('td', { class: 'num amount' }, money(u.amount, u.currency)),
            el('td', {}, el('span', { class: 'status ' + u.status.toLowerCase() }, u.status)),
            el('td', {}, el('code', {}, u.intentId || '\u2013')),
            el('td', {}, u.failureCode || ''),
            el('td', {}, time(new Date(u.updatedAt)))
          )
        ),
        6,
        'No card top-ups.'
      );
    } catch (error) {
      report('topups-error', error);
    }
  }

  async audit() {
    try {
      const history = await this.session.api(
        '/api/v1/audit/aggregates/' + encodeURIComponent(accountId) + '/events?limit=1000'
      );
      report('audit-error', null);
      fill(
        document.querySelector('#audit tbody'),
        history.items.map((e) =>
          el(
            'tr',
            { 'data-sequence': e.sequence, 'data-type': e.type },
            el('td', { class: 'num' }, e.sequence),
            // Personal fields are sealed in the stored payload; personalData has them opened.
            el(
              'td',
              {},
              el(
                'span',
                { class: 'event', title: JSON.stringify(Object.assign({}, e.payload, e.personalData)) },
                e.type
              )
            ),
            el('td', {}, time(new Date(e.timestamp))),
            el('td', { class: 'num' }, e.globalPosition),
            el('td', {}, (e.metadata && e.metadata.subject) || '\u2013'),
            el('td', {}, el('code', { class: 'hash', title: e.hash || '' }, (e.hash || '').slice(0, 16)))
          )
        ),
        6,
        'No events.'
      );
      if (history.items.length !== this.events) {
        this.events = history.items.length;
        await this.verify();
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) {
        report('audit-error', new ApiError(403, AUDITOR_NEEDED));
        showVerify('', 'Not verified: the auditor role is needed.');
      } else {
        report('audit-error', error);
      }
    }
  }

  async verify() {
    try {
      const result = await this.session.api('/api/v1/audit/verify', {
        method: 'POST',
        body: { aggregateId: accountId },
      });
      if (result.valid) {
        showVerify(
          'true',
          '\u2713 Hash chain intact: ' + result.checked + ' events checked.'
        );
      } else {
        const broken = result.firstBroken || {};
        showVerify(
          'false',
          '\u2717 Tampering detected at sequence ' +
            broken.sequence +
            ' (position ' +
            broken.globalPosition +
            '): ' +
            broken.problem
        );
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) {
        showVerify('', 'Not verified: the auditor role is needed.');
      } else {
        report('audit-error', error);
      }
    }
  }

  /** Refreshes soon after a movement of this account, once the read models have it. */
  soon() {
    if (this.pending) {
      return;
    }
    this.pending = true;
    setTimeout(() => {
      this.pending = false;
      if (!this.session.ended) {
        this.refresh();
      }
    }, 750);
  }

  follow() {
    const state = document.getElementById('transactions-state');
    const show = (name, text) => {
      state.dataset.state = name;
      state.textContent = text;
    };
    show('connecting', 'connecting');
    this.session.follow('/api/v1/feed', {
      open: () => show('live', 'live'),
      event: (event) => {
        if (event.type === 'movement' && JSON.parse(event.data).accountId === accountId) {
          this.soon();
        }
      },
      // Customers may read their account but not the feed: the page then refreshes on a timer.
      error: () => show('down', 'not live'),
    });
  }
}

function showVerify(valid, text) {
  const line = document.getElementById('verify');
  line.dataset.valid = valid;
  line.textContent = text;
}

accountForm('find-account');

startSession((session) => {
  if (!accountId) {
    report('account-error', new ApiError(400, 'No account id: open one from the dashboard.'));
    return;
  }
  document.getElementById('account-id').textContent = accountId;
  document.getElementById('find-account-id').value = accountId;
  const page = new AccountPage(session);
  page.refresh();
  session.every(REFRESH_MILLIS, () => page.refresh());
  page.follow();
  document.getElementById('verify-again').onclick = () => page.verify();
});
