// The Queues page: the list with depths and live rates. Detail views (attributes, send, poll, peek, tags, DLQ
// redrive) follow in this file. Everything goes through Sluice.api (signed when a key was entered).
'use strict';

(() => {
    const {api, el, table, enc, age, describe, chart} = Sluice;
    /** How often the list refreshes its numbers and how many points a sparkline keeps. */
    const REFRESH_MILLIS = 5000;
    const HISTORY = 24;
    /** Queues shown (and described, one call each) per refresh: a bound on the page's load on the server. */
    const PAGE_SIZE = 100;

    /** Per queue, the last counters and their rates, kept while the page is open. */
    const history = new Map();

    /** This node's per-queue counters from /metrics (the node leading a queue's group exports it). */
    async function queueCounters() {
        const response = await fetch('/metrics', {credentials: 'omit', cache: 'no-store'});
        const counters = new Map();
        if (!response.ok) {
            return counters;
        }
        const line = /^sluice_queue_(sent|received|oldest_message_age_seconds)\w*\{([^}]*)\} (\S+)$/;
        for (const text of (await response.text()).split('\n')) {
            const match = line.exec(text);
            if (!match || match[1] !== 'oldest_message_age_seconds' && !text.startsWith('sluice_queue_' + match[1] + '_messages_total')) {
                continue;
            }
            const queue = /(?:^|,)queue="((?:[^"\\]|\\.)*)"/.exec(match[2]);
            if (!queue) {
                continue;
            }
            const name = queue[1].replace(/\\(.)/g, '$1');
            const entry = counters.get(name) || {sent: 0, received: 0, oldest: 0};
            const value = Number(match[3]);
            if (match[1] === 'oldest_message_age_seconds') {
                entry.oldest = Math.max(entry.oldest, value);
            } else {
                entry[match[1]] += value;
            }
            counters.set(name, entry);
        }
        return counters;
    }

    /** Adds this refresh's counters to the queue's history; answers its rates per second. */
    function remember(name, counters, now) {
        const past = history.get(name) || {sentRates: [], receivedRates: []};
        if (counters && past.at) {
            const seconds = Math.max(0.001, (now - past.at) / 1000);
            past.sentRates.push(Math.max(0, (counters.sent - past.sent) / seconds));
            past.receivedRates.push(Math.max(0, (counters.received - past.received) / seconds));
            past.sentRates.splice(0, past.sentRates.length - HISTORY);
            past.receivedRates.splice(0, past.receivedRates.length - HISTORY);
        }
        if (counters) {
            Object.assign(past, {at: now, sent: counters.sent, received: counters.received});
        }
        history.set(name, past);
        return past;
    }

    function rate(values) {
        const last = values.length ? values[values.length - 1] : null;
        return el('span', {class: 'rate'}, chart(values), ' ', last === null ? '—' : last.toFixed(1) + '/s');
    }

    function renderList(root) {
        const filter = el('input', {id: 'queue-filter', placeholder: 'Name prefix', spellcheck: 'false'});
        const holder = el('div', {'data-test': 'queue-list'}, el('p', {class: 'loading'}, 'Loading…'));
        const more = el('p', {class: 'muted'});
        root.append(el('h1', {}, 'Queues'),
            el('div', {class: 'toolbar'}, filter,
                el('button', {'data-test': 'refresh-queues', onclick: () => refresh()}, 'Refresh'),
                el('span', {class: 'spacer'}),
                el('button', {class: 'primary', 'data-test': 'create-queue', onclick: () => Sluice.go('#/queues/~create')},
                    'Create queue')),
            holder, more);
        let stopped = false;
        let timer = null;
        let debounce = null;
        filter.addEventListener('input', () => {
            clearTimeout(debounce);
            debounce = setTimeout(refresh, 300);
        });

        async function refresh() {
            clearTimeout(timer);
            try {
                const prefix = filter.value.trim();
                const [listed, counters] = await Promise.all([
                    api('GET', '/queues?maxResults=' + PAGE_SIZE + (prefix ? '&prefix=' + enc(prefix) : '')),
                    queueCounters().catch(() => new Map())]);
                const described = await Promise.all(listed.queues.map(queue => api('GET', '/queues/' + enc(queue.name))
                    .catch(error => ({name: queue.name, error}))));
                if (stopped) {
                    return;
                }
                const now = Date.now();
                const rows = described.map(queue => Object.assign(queue, {counters: counters.get(queue.name),
                    rates: remember(queue.name, counters.get(queue.name), now)}));
                holder.replaceChildren(listTable(rows));
                more.textContent = listed.nextToken ? 'Showing the first ' + PAGE_SIZE + ' queues: narrow with a prefix.' : '';
            } catch (error) {
                if (!stopped) {
                    holder.replaceChildren(el('p', {class: 'error'}, describe(error)));
                }
            }
            if (!stopped) {
                timer = setTimeout(refresh, REFRESH_MILLIS);
            }
        }

        refresh();
        return () => {
            stopped = true;
            clearTimeout(timer);
            clearTimeout(debounce);
        };
    }

    function listTable(rows) {
        const depth = (row, key) => row.error ? '—' : String(row.depth[key]);
        return table([
            {title: 'Name', value: row => el('a', {href: '#/queues/' + enc(row.name), 'data-test': 'queue-link',
                'data-queue': row.name}, row.name)},
            {title: 'Type', value: row => row.name.endsWith('.fifo') ? 'FIFO' : 'Standard'},
            {title: 'Visible', value: row => el('span', {'data-test': 'visible', 'data-queue': row.name}, depth(row, 'visible'))},
            {title: 'In flight', value: row => el('span', {'data-test': 'in-flight', 'data-queue': row.name},
                depth(row, 'inFlight'))},
            {title: 'Delayed', value: row => depth(row, 'delayed')},
            {title: 'Oldest', value: row => row.counters ? age(row.counters.oldest) : '—'},
            {title: 'Sent', value: row => rate(row.rates.sentRates)},
            {title: 'Received', value: row => rate(row.rates.receivedRates)},
        ], rows, 'No queues yet.');
    }

    Sluice.page('queues', 'Queues', (root, params) => {
        if (params.length === 0) {
            return renderList(root);
        }
        root.append(el('p', {}, 'Queue ', params[0]));
        return null;
    });
})();
