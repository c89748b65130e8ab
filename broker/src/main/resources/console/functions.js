// The Functions page: functions, their event source mappings (triggers) with state, batch settings, concurrency and
// recent errors, and enabling / disabling a mapping (UpdateEventSourceMapping's Enabled). Reads /v1/functions and
// /v1/event-source-mappings through Sluice.api; in-flight invocations per function come from this node's /metrics.
'use strict';

(() => {
    const {api, el, table, enc, describe, notify, confirm} = Sluice;
    const REFRESH_MILLIS = 5000;

    /** This node's bridge gauges per function from /metrics: invocations in flight and the source backlog age. */
    async function functionGauges() {
        const gauges = new Map();
        try {
            const response = await fetch('/metrics', {credentials: 'omit', cache: 'no-store'});
            if (!response.ok) {
                return gauges;
            }
            const line = /^sluice_bridge_(concurrency|source_oldest_message_age_seconds)\{([^}]*)\} (\S+)$/;
            for (const text of (await response.text()).split('\n')) {
                const match = line.exec(text);
                const label = match && /(?:^|,)function="((?:[^"\\]|\\.)*)"/.exec(match[2]);
                if (!label) {
                    continue;
                }
                const name = label[1].replace(/\\(.)/g, '$1');
                const entry = gauges.get(name) || {concurrency: 0, age: 0};
                entry[match[1] === 'concurrency' ? 'concurrency' : 'age'] = Number(match[3]);
                gauges.set(name, entry);
            }
        } catch (ignored) {
            // The numbers are extra; the lists still show.
        }
        return gauges;
    }

    function stateBadge(state) {
        const kind = state === 'Enabled' ? 'ok' : state === 'Disabled' ? 'warn' : '';
        return el('span', {class: 'badge ' + kind, 'data-test': 'mapping-state'}, state);
    }

    function queueName(arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    function render(root) {
        const functions = el('div', {'data-test': 'function-list'}, el('p', {class: 'loading'}, 'Loading…'));
        const mappings = el('div', {'data-test': 'mapping-list'}, el('p', {class: 'loading'}, 'Loading…'));
        const errors = el('div', {'data-test': 'mapping-errors'});
        root.append(el('div', {class: 'toolbar'}, el('h1', {}, 'Functions'), el('span', {class: 'spacer'}),
            el('button', {'data-test': 'refresh-functions', onclick: () => load()}, 'Refresh')),
            functions, el('h2', {}, 'Triggers (event source mappings)'), mappings, errors);
        let stopped = false;
        let timer = null;

        async function load() {
            let listed;
            let mapped;
            try {
                [listed, mapped] = await Promise.all([api('GET', '/functions'), api('GET', '/event-source-mappings')]);
            } catch (error) {
                functions.replaceChildren(el('p', {class: 'error'}, describe(error)));
                mappings.replaceChildren();
                return;
            }
            const gauges = await functionGauges();
            const all = mapped.EventSourceMappings;
            functions.replaceChildren(table([
                {title: 'Name', value: f => el('strong', {}, f.FunctionName)},
                {title: 'Runs', value: f => f.InvokeUrl ? 'HTTP ' + f.InvokeUrl : 'in-process ' + (f.Handler || '')},
                {title: 'Timeout', value: f => f.Timeout + ' s'},
                {title: 'Reserved concurrency', value: f => f.ReservedConcurrentExecutions === undefined
                    || f.ReservedConcurrentExecutions === null ? 'unreserved' : String(f.ReservedConcurrentExecutions)},
                {title: 'In flight (this node)', value: f => String((gauges.get(f.FunctionName) || {}).concurrency || 0)},
                {title: 'Oldest waiting', value: f => Sluice.age((gauges.get(f.FunctionName) || {}).age || 0)},
                {title: 'Triggers', value: f => String(all.filter(m => m.FunctionName === f.FunctionName).length)},
            ], listed.Functions, 'No functions yet (POST /v1/functions).'));
            mappings.replaceChildren(table([
                {title: 'Function', value: m => m.FunctionName},
                {title: 'Source queue', value: m => el('a', {href: '#/queues/' + enc(queueName(m.EventSourceArn))},
                    queueName(m.EventSourceArn))},
                {title: 'State', value: m => stateBadge(m.State)},
                {title: 'Batch', value: m => m.BatchSize + ' records, window ' + m.MaximumBatchingWindowInSeconds + ' s'
                    + ((m.FunctionResponseTypes || []).includes('ReportBatchItemFailures') ? ', partial failures' : '')},
                {title: 'Max concurrency', value: m => m.ScalingConfig ? String(m.ScalingConfig.MaximumConcurrency) : 'default'},
                {title: 'Last result', value: m => el('span', {class: (m.LastProcessingResult || '').startsWith('PROBLEM')
                    ? 'error' : 'muted', 'data-test': 'mapping-last-result'}, m.LastProcessingResult || '')},
                {title: '', value: m => el('span', {},
                    el('button', {'data-test': 'toggle-mapping', 'data-uuid': m.UUID, onclick: () => toggle(m)},
                        m.State === 'Disabled' ? 'Enable' : 'Disable'),
                    el('button', {class: 'link', 'data-test': 'delete-mapping', onclick: () => remove(m)}, 'Delete'))},
            ], all, 'No triggers.'));
            mappings.querySelectorAll('tbody tr').forEach((row, i) => {
                if (all[i]) {
                    row.dataset.test = 'mapping-row';
                    row.dataset.uuid = all[i].UUID;
                    row.dataset.state = all[i].State;
                }
            });
            const recent = all.flatMap(m => (m.RecentErrors || []).map(error => ({mapping: m, error})))
                .sort((a, b) => b.error.At.localeCompare(a.error.At)).slice(0, 20);
            errors.replaceChildren(el('h2', {}, 'Recent errors (this node)'), table([
                {title: 'When', value: r => r.error.At},
                {title: 'Function', value: r => r.mapping.FunctionName},
                {title: 'Source', value: r => queueName(r.mapping.EventSourceArn)},
                {title: 'Error', value: r => el('span', {class: 'error'}, r.error.Message)},
            ], recent, 'No recent errors.'));
        }

        async function toggle(mapping) {
            const enable = mapping.State === 'Disabled';
            try {
                await api('PUT', '/event-source-mappings/' + enc(mapping.UUID), {Enabled: enable});
                notify((enable ? 'Enabled' : 'Disabled') + ' the trigger of ' + mapping.FunctionName + ' on '
                    + queueName(mapping.EventSourceArn) + '.');
                load();
            } catch (error) {
                notify(describe(error), true);
            }
        }

        async function remove(mapping) {
            if (!await confirm('Delete the trigger of ' + mapping.FunctionName + ' on ' + queueName(mapping.EventSourceArn)
                + '? Messages stay in the queue.')) {
                return;
            }
            try {
                await api('DELETE', '/event-source-mappings/' + enc(mapping.UUID));
                notify('Trigger deleted.');
                load();
            } catch (error) {
                notify(describe(error), true);
            }
        }

        function schedule() {
            timer = setTimeout(() => {
                if (!stopped) {
                    load().finally(() => stopped || schedule());
                }
            }, REFRESH_MILLIS);
        }

        load();
        schedule();
        return () => {
            stopped = true;
            clearTimeout(timer);
        };
    }

    Sluice.page('functions', 'Functions', root => render(root));
})();
