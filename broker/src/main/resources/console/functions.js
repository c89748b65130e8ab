// The Functions page: functions, their event source mappings (triggers) with state, batch settings, concurrency and
// recent errors, and enabling / disabling a mapping (UpdateEventSourceMapping's Enabled). Reads /v1/functions and
// /v1/event-source-mappings through Sluice.api; the numbers and recent errors from /v1/function-activity, which the
// serving node sums over every node of the cluster.
'use strict';

(() => {
    const {api, el, table, enc, describe, notify, confirm} = Sluice;
    const REFRESH_MILLIS = 5000;

    /**
     * The bridges' numbers over the whole cluster (GET /v1/function-activity): per function the invocations in flight,
     * invocations, errors and source backlog age summed (the age: the largest) over the nodes, the mappings' recent
     * errors of every node, and the nodes that did not answer. Null when it cannot be read: the lists still show.
     */
    async function clusterActivity() {
        try {
            return await api('GET', '/function-activity');
        } catch (ignored) {
            return null;
        }
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
            const activity = await clusterActivity();
            const numbers = name => (activity && activity.Functions[name]) || {};
            const all = mapped.EventSourceMappings;
            functions.replaceChildren(table([
                {title: 'Name', value: f => el('strong', {}, f.FunctionName)},
                // A function belongs to an account (its ARN carries it): an operator's key lists every account's.
                {title: 'Account', value: f => el('span', {'data-test': 'function-account'},
                    String(f.FunctionArn || '').split(':')[4] || '')},
                {title: 'Runs', value: f => f.InvokeUrl ? 'HTTP ' + f.InvokeUrl : 'in-process ' + (f.Handler || '')},
                {title: 'Timeout', value: f => f.Timeout + ' s'},
                {title: 'Reserved concurrency', value: f => f.ReservedConcurrentExecutions === undefined
                    || f.ReservedConcurrentExecutions === null ? 'unreserved' : String(f.ReservedConcurrentExecutions)},
                {title: 'In flight', value: f => el('span', {'data-test': 'function-concurrency'},
                    String(numbers(f.FunctionName).Concurrency || 0))},
                {title: 'Invocations', value: f => el('span', {'data-test': 'function-invocations'},
                    String(numbers(f.FunctionName).Invocations || 0))},
                {title: 'Errors', value: f => el('span', {'data-test': 'function-errors'},
                    String(numbers(f.FunctionName).Errors || 0))},
                {title: 'Oldest waiting', value: f => Sluice.age(numbers(f.FunctionName).SourceAgeSeconds || 0)},
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
            const byUuid = new Map(all.map(m => [m.UUID, m]));
            const recent = (activity ? activity.RecentErrors : []).slice(0, 20);
            const missing = activity && activity.UnansweredNodes.length
                ? el('p', {class: 'error', 'data-test': 'activity-missing'}, 'No answer from node(s) '
                    + activity.UnansweredNodes.join(', ') + ': their numbers and errors are missing.')
                : '';
            errors.replaceChildren(el('h2', {}, 'Recent errors (all nodes)'), missing, table([
                {title: 'When', value: r => r.At},
                {title: 'Node', value: r => r.Node},
                {title: 'Function', value: r => (byUuid.get(r.MappingUuid) || {}).FunctionName || ''},
                {title: 'Source', value: r => byUuid.has(r.MappingUuid) ? queueName(byUuid.get(r.MappingUuid).EventSourceArn) : ''},
                {title: 'Error', value: r => el('span', {class: 'error', 'data-test': 'function-error'}, r.Message)},
            ], recent, 'No recent errors.'));
            if (functions.querySelector('tbody')) {
                functions.querySelectorAll('tbody tr').forEach((row, i) => {
                    if (listed.Functions[i]) {
                        row.dataset.test = 'function-row';
                        row.dataset.function = listed.Functions[i].FunctionName;
                    }
                });
            }
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
