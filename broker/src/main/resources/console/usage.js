// The Usage page: metered usage per account (GET /v1/usage, which the serving node sums over every data group):
// totals and hours over a chosen range, and an export as CSV or JSON lines. An account's key sees its own account; an
// operator's key every account, or one account named in the form.
'use strict';

(() => {
    const {api, el, table, enc, describe, field, notify} = Sluice;
    const KINDS = ['SqsRequests', 'SqsBytesOut', 'SnsPublishes', 'SnsDeliveriesSqs', 'SnsDeliveriesHttp',
        'SnsDeliveriesEmail', 'SnsDeliveriesLambda', 'SnsHttpBytesOut', 'FunctionInvocations', 'FunctionDurationMs',
        'StoredMessageByteHours'];
    const HOUR_MILLIS = 3600 * 1000;

    function query(account, hours, format) {
        const to = Math.floor(Date.now() / HOUR_MILLIS) * HOUR_MILLIS + HOUR_MILLIS;
        const from = to - hours * HOUR_MILLIS;
        const parts = ['from=' + enc(new Date(from).toISOString()), 'to=' + enc(new Date(to).toISOString())];
        if (account) {
            parts.push('account=' + enc(account));
        }
        if (format) {
            parts.push('format=' + format);
        }
        return '/usage?' + parts.join('&');
    }

    function render(root) {
        const account = el('input', {id: 'usage-account', placeholder: 'every account you may read', size: 16});
        const range = el('select', {id: 'usage-range'},
            el('option', {value: '24'}, 'Last 24 hours'), el('option', {value: '168'}, 'Last 7 days'),
            el('option', {value: '744'}, 'Last 31 days'));
        const totals = el('div', {'data-test': 'usage-totals'}, el('p', {class: 'loading'}, 'Loading…'));
        const hours = el('div', {'data-test': 'usage-hours'});
        root.append(el('div', {class: 'toolbar'}, el('h1', {}, 'Usage'), el('span', {class: 'spacer'}),
            el('button', {'data-test': 'refresh-usage', onclick: () => load()}, 'Refresh'),
            el('button', {'data-test': 'export-csv', onclick: () => download('csv')}, 'Export CSV'),
            el('button', {'data-test': 'export-jsonl', onclick: () => download('jsonl')}, 'Export JSON lines')),
            el('div', {class: 'toolbar'}, field('Account', account), field('Range', range)),
            el('p', {class: 'hint'}, 'SQS requests count each started 64 KiB of a request\'s payload; SNS publishes'
                + ' likewise. Counted from replicated state: the same on every node.'),
            totals, el('h2', {}, 'Per hour'), hours);
        account.addEventListener('change', () => load());
        range.addEventListener('change', () => load());

        async function load() {
            let answer;
            try {
                answer = await api('GET', query(account.value.trim(), Number(range.value)));
            } catch (error) {
                totals.replaceChildren(el('p', {class: 'error'}, describe(error)));
                hours.replaceChildren();
                return;
            }
            const rows = Object.keys(answer.Totals).map(name => Object.assign({Account: name}, answer.Totals[name]));
            totals.replaceChildren(table([{title: 'Account', value: r => el('strong', {}, r.Account)}]
                .concat(KINDS.map(kind => ({title: kind, value: r => el('span', {'data-test': 'usage-' + kind,
                    'data-account': r.Account}, String(r[kind] || 0))}))), rows, 'No usage in this range.'));
            hours.replaceChildren(table([{title: 'Account', value: r => r.Account}, {title: 'Hour', value: r => r.Hour}]
                .concat(KINDS.map(kind => ({title: kind, value: r => String(r[kind] || 0)}))), answer.Hours.slice().reverse(),
                'No usage in this range.'));
        }

        async function download(format) {
            try {
                const text = await api('GET', query(account.value.trim(), Number(range.value), format));
                const link = el('a', {href: URL.createObjectURL(new Blob([text || ''], {type: 'text/plain'})),
                    download: 'sluice-usage.' + format});
                document.body.appendChild(link);
                link.click();
                link.remove();
            } catch (error) {
                notify(describe(error), true);
            }
        }

        load();
    }

    Sluice.page('usage', 'Usage', root => render(root));
})();
