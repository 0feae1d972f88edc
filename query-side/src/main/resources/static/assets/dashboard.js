// The dashboard: totals, money moved, top accounts, projections (every 10 s, and soon after each
// movement) and the live feed of movements.
import {
  ApiError,
  accountForm,
  accountLink,
  digitsOf,
  el,
  fill,
  major,
  money,
  report,
  startSession,
  time,
} from './session.js';

const WINDOWS = {
  hour: { interval: 'minute', millis: 60 * 60 * 1000 },
  day: { interval: 'hour', millis: 24 * 60 * 60 * 1000 },
  month: { interval: 'day', millis: 30 * 24 * 60 * 60 * 1000 },
};
const MOVEMENTS = {
  DEPOSIT: 'Deposit',
  WITHDRAWAL: 'Withdrawal',
  TRANSFER_DEBIT: 'Transfer out',
  TRANSFER_CREDIT: 'Transfer in',
  REVERSAL: 'Reversal',
};
const STATUSES = ['OPEN', 'FROZEN', 'CLOSED'];
const COLORS = ['#2f6fde', '#e0803a', '#3aa56b', '#8a5cd1', '#d14f5c', '#6b7a8f'];
const STATUS_COLORS = ['#3aa56b', '#e0a33a', '#9aa5b1'];
const FEED_LENGTH = 50;
const REFRESH_MILLIS = 10000;

let active = null;
const charts = {};

function chart(id) {
  if (typeof echarts === 'undefined') {
    return null;
  }
  if (!charts[id]) {
    charts[id] = echarts.init(document.getElementById(id));
  }
  return charts[id];
}

window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

class Dashboard {
  constructor(session) {
    this.session = session;
    this.calls = {};
    this.soonPending = false;
  }

  /** Runs a section's request; renders only the answer to its latest request. */
  async latest(name, request, render) {
    const call = (this.calls[name] || 0) + 1;
    this.calls[name] = call;
    try {
      const answer = await request();
      if (this.calls[name] === call && !this.session.ended) {
        render(answer);
        report(name + '-error', null);
      }
    } catch (error) {
      if (this.calls[name] === call) {
        report(name + '-error', error);
      }
    }
  }

  async refresh(withProjections) {
    await this.totals();
    const parts = [this.volume(), this.top()];
    if (withProjections) {
      parts.push(this.projections());
    }
    await Promise.all(parts);
    if (!this.session.ended) {
      document.getElementById('updated').textContent = time(new Date());
    }
  }

  /** After a movement: now-ish, and once more when the slower read models have caught up. */
  soon() {
    if (this.soonPending) {
      return;
    }
    this.soonPending = true;
    setTimeout(() => this.session.ended || this.refresh(false), 750);
    setTimeout(() => {
      this.soonPending = false;
      if (!this.session.ended) {
        this.refresh(false);
      }
    }, 3000);
  }

  totals() {
    return this.latest(
      'totals',
      () => this.session.api('/api/v1/dashboard/totals'),
      (totals) => {
        totals.sort(
          (a, b) =>
            a.currency.localeCompare(b.currency) ||
            STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status)
        );
        fill(
          document.querySelector('#totals tbody'),
          totals.map((total) =>
            el(
              'tr',
              { 'data-currency': total.currency, 'data-status': total.status },
              el('td', {}, total.currency),
              el('td', {}, el('span', { class: 'status ' + total.status.toLowerCase() }, total.status)),
              el('td', { class: 'num accounts', 'data-accounts': total.accounts }, total.accounts),
              el(
                'td',
                { class: 'num balance', 'data-balance': total.balance },
                money(total.balance, total.currency)
              )
            )
          ),
          4,
          'No accounts yet.'
        );
        this.currencies(totals);
        this.totalsChart(totals);
      }
    );
  }

  // The currencies there are, most accounts first; keeps the one chosen while it exists.
  currencies(totals) {
    const accounts = new Map();
    totals.forEach((t) => accounts.set(t.currency, (accounts.get(t.currency) || 0) + t.accounts));
    const ordered = [...accounts.keys()].sort(
      (a, b) => accounts.get(b) - accounts.get(a) || a.localeCompare(b)
    );
    const select = document.getElementById('currency');
    const chosen = select.value;
    const shown = [...select.options].map((o) => o.value);
    if (shown.join() !== ordered.join()) {
      select.replaceChildren(...ordered.map((c) => el('option', { value: c }, c)));
      select.value = ordered.includes(chosen) ? chosen : ordered[0] || '';
    }
  }

  totalsChart(totals) {
    const c = chart('totals-chart');
    if (!c) {
      return;
    }
    const currencies = [...new Set(totals.map((t) => t.currency))];
    c.setOption(
      {
        color: STATUS_COLORS,
        animation: false,
        grid: { left: 40, right: 10, top: 30, bottom: 25 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', formatter: plainTooltip((v) => v + ' accounts') },
        xAxis: { type: 'category', data: currencies },
        yAxis: { type: 'value', minInterval: 1, name: 'accounts' },
        series: STATUSES.map((status) => ({
          name: status,
          type: 'bar',
          stack: 'accounts',
          data: currencies.map((currency) => {
            const total = totals.find((t) => t.currency === currency && t.status === status);
            return total ? total.accounts : 0;
          }),
        })),
      },
      true
    );
  }

  volume() {
    const currency = document.getElementById('currency').value;
    const span = WINDOWS[document.getElementById('window').value];
    if (!currency) {
      return Promise.resolve();
    }
    const from = new Date(Date.now() - span.millis).toISOString();
    const query = new URLSearchParams({ currency, interval: span.interval, from });
    return this.latest(
      'volume',
      () => this.session.api('/api/v1/dashboard/volume?' + query),
      (buckets) => {
        const container = document.getElementById('volume-chart');
        let total = 0;
        const types = Object.keys(MOVEMENTS).filter((type) =>
          buckets.some((b) => b.byType.some((v) => v.type === type))
        );
        const series = types.map((type) => ({
          name: MOVEMENTS[type],
          type: 'bar',
          stack: 'moved',
          barMaxWidth: 24,
          data: buckets.map((bucket) => {
            const volume = bucket.byType.find((v) => v.type === type);
            total += volume ? volume.amount : 0;
            return [bucket.start, volume ? major(volume.amount, currency) : 0];
          }),
        }));
        container.dataset.currency = currency;
        container.dataset.total = String(total);
        const c = chart('volume-chart');
        if (!c) {
          return;
        }
        c.setOption(
          {
            color: COLORS,
            animation: false,
            grid: { left: 70, right: 20, top: 35, bottom: 30 },
            legend: { top: 0 },
            tooltip: {
              trigger: 'axis',
              formatter: plainTooltip((v) =>
                money(Math.round(v * 10 ** digitsOf(currency)), currency)
              ),
            },
            xAxis: { type: 'time', min: Date.now() - span.millis, max: Date.now() },
            yAxis: { type: 'value', name: currency },
            series,
            graphic: buckets.length === 0
              ? [{ type: 'text', left: 'center', top: 'middle', style: { text: 'No movements in this window', fill: '#6b7a8f' } }]
              : [],
          },
          true
        );
      }
    );
  }

  top() {
    const currency = document.getElementById('currency').value;
    const by = document.getElementById('top-by').value;
    if (!currency) {
      fill(document.querySelector('#top tbody'), [], 3, 'No accounts yet.');
      return Promise.resolve();
    }
    const query = new URLSearchParams({ currency, by, size: '10' });
    if (by === 'activity') {
      const span = WINDOWS[document.getElementById('window').value];
      query.set('from', new Date(Date.now() - span.millis).toISOString());
    }
    return this.latest(
      'top',
      () => this.session.api('/api/v1/dashboard/top-accounts?' + query),
      (top) => {
        document.getElementById('top-figure').textContent =
          by === 'balance' ? 'Balance' : 'Movements (amount)';
        fill(
          document.querySelector('#top tbody'),
          top.map((account, index) =>
            el(
              'tr',
              { 'data-account-id': account.accountId },
              el('td', {}, index + 1),
              el('td', {}, accountLink(account.accountId)),
              el(
                'td',
                { class: 'num' },
                by === 'balance'
                  ? money(account.balance, currency)
                  : account.transactions + ' (' + money(account.amount, currency) + ')'
              )
            )
          ),
          3,
          by === 'balance' ? 'No ' + currency + ' accounts.' : 'No movements in this window.'
        );
      }
    );
  }

  projections() {
    const admin = this.session.roles.includes('admin');
    return this.latest(
      'projections',
      async () => {
        const [projections, parked] = await Promise.all([
          this.session.api('/api/v1/projections'),
          admin ? this.deadLetters() : Promise.resolve(null),
        ]);
        return { projections, parked };
      },
      ({ projections, parked }) => {
        fill(
          document.querySelector('#projections tbody'),
          projections.map((p) => {
            const letters = parked === null ? null : parked.counts.get(p.projection) || 0;
            return el(
              'tr',
              { 'data-projection': p.projection },
              el('td', {}, p.projection),
              el(
                'td',
                { class: 'num lag', 'data-lag': p.lagEvents },
                el('span', { class: p.lagEvents === 0 ? 'status open' : 'status frozen' }, p.lagEvents)
              ),
              el('td', { class: 'num' }, p.lagSeconds.toFixed(1)),
              el(
                'td',
                { class: 'partitions' },
                p.partitions.map((part) => part.partition + ': ' + part.position + '/' + part.end).join(' \u00b7 ')
              ),
              el(
                'td',
                { class: 'num dead-letters', 'data-dead-letters': letters },
                letters === null ? '\u2013' : letters + (parked.more ? '+' : '')
              )
            );
          }),
          5,
          'No projections.'
        );
        const note = document.getElementById('dead-letters-note');
        note.hidden = false;
        note.textContent =
          parked === null
            ? 'Dead letters (events a projection parked) are listed for the admin role.'
            : parked.total === 0
              ? 'No event is parked.'
              : parked.total + (parked.more ? '+' : '') + ' parked, latest reason: ' + parked.reason;
      }
    );
  }

  // The first page of pending dead letters (at most 500), counted per projection.
  async deadLetters() {
    try {
      const page = await this.session.api('/api/v1/admin/dead-letters?size=500');
      const counts = new Map();
      page.items.forEach((item) => counts.set(item.projection, (counts.get(item.projection) || 0) + 1));
      const last = page.items[page.items.length - 1];
      return {
        counts,
        total: page.items.length,
        more: page.nextCursor !== null,
        reason: last ? last.reason : null,
      };
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) {
        return null;
      }
      throw error;
    }
  }

  follow() {
    const state = document.getElementById('feed-state');
    const show = (name, text) => {
      state.dataset.state = name;
      state.textContent = text;
    };
    document.getElementById('feed').replaceChildren();
    document.getElementById('feed-empty').hidden = false;
    show('connecting', 'connecting');
    this.session.follow('/api/v1/feed', {
      open: () => {
        show('live', 'live');
        report('feed-error', null);
      },
      event: (event) => {
        if (event.type === 'movement') {
          this.movement(JSON.parse(event.data));
          this.soon();
        }
      },
      error: (message) => {
        show('down', 'reconnecting');
        report('feed-error', new ApiError(0, message));
      },
    });
  }

  movement(m) {
    const feed = document.getElementById('feed');
    document.getElementById('feed-empty').hidden = true;
    feed.prepend(
      el(
        'li',
        {
          'data-transaction-id': m.transactionId,
          'data-account-id': m.accountId,
          'data-type': m.type,
          'data-amount': m.signedAmount,
          class: m.signedAmount < 0 ? 'out' : 'in',
        },
        el('time', { datetime: m.timestamp }, new Date(m.timestamp).toLocaleTimeString()),
        el('span', { class: 'kind' }, MOVEMENTS[m.type] || m.type),
        el('span', { class: 'amount' }, money(m.signedAmount, m.currency)),
        accountLink(m.accountId),
        el('span', { class: 'after' }, 'balance ' + money(m.balanceAfter, m.currency))
      )
    );
    while (feed.children.length > FEED_LENGTH) {
      feed.lastElementChild.remove();
    }
  }
}

// ECharts' default tooltip writes inline styles, which the page's CSP refuses: plain text only.
function plainTooltip(format) {
  return (points) => {
    const list = Array.isArray(points) ? points : [points];
    if (list.length === 0) {
      return '';
    }
    const head = list[0].axisType === 'xAxis.time'
      ? new Date(list[0].axisValue).toLocaleString()
      : list[0].axisValueLabel;
    const lines = list
      .filter((p) => (Array.isArray(p.value) ? p.value[1] : p.value) !== 0)
      .map((p) => p.seriesName + ': ' + format(Array.isArray(p.value) ? p.value[1] : p.value));
    return [head, ...lines].map(escapeHtml).join('<br>');
  };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
}

for (const id of ['currency', 'window']) {
  document.getElementById(id).addEventListener('change', () => {
    if (active) {
      active.volume();
      active.top();
    }
  });
}
document.getElementById('top-by').addEventListener('change', () => active && active.top());
accountForm('find-account');

startSession((session) => {
  const dashboard = new Dashboard(session);
  active = dashboard;
  Object.values(charts).forEach((c) => c.resize());
  dashboard.refresh(true);
  session.every(REFRESH_MILLIS, () => dashboard.refresh(true));
  dashboard.follow();
});
