// The Cluster page: this node's health (/health), the nodes and Raft groups as this node sees them (GET /v1/cluster:
// members, leader, the applied index of this node's replica, the followers' lag where this node leads, queues), and the operator actions the REST API has: a
// queue's migration to another data group (start, progress) and its partitions. Operator-only calls answer
// AccessDenied for a tenant key; the page says so.
'use strict';

(() => {
    const {api, el, table, field, enc, describe, notify, confirm} = Sluice;
    const REFRESH_MILLIS = 5000;

    function stateBadge(state, test) {
        const kind = state === 'up' || state === 'UP' ? 'ok' : state === 'down' || state === 'DOWN' ? 'bad' : 'warn';
        return el('span', {class: 'badge ' + kind, 'data-test': test}, state);
    }

    async function health() {
        const response = await fetch('/health', {credentials: 'omit', cache: 'no-store'});
        return response.json();
    }

    function render(root) {
        const healthBox = el('div', {'data-test': 'cluster-health'}, el('p', {class: 'loading'}, 'Loading…'));
        const nodes = el('div', {'data-test': 'node-list'});
        const groups = el('div', {'data-test': 'group-list'});
        const queueBox = el('div', {'data-test': 'queue-layout'});
        root.append(el('div', {class: 'toolbar'}, el('h1', {}, 'Cluster'), el('span', {class: 'spacer'}),
            el('button', {'data-test': 'refresh-cluster', onclick: () => load()}, 'Refresh')),
            healthBox, el('h2', {}, 'Nodes'), nodes, el('h2', {}, 'Raft groups'), groups,
            el('h2', {}, 'Queue placement'), layoutForm(), queueBox);
        let dataGroups = [];
        let stopped = false;
        let timer = null;

        async function load() {
            try {
                const status = await health();
                healthBox.replaceChildren(el('div', {class: 'stats'},
                    el('div', {class: 'stat'}, el('div', {class: 'value'}, stateBadge(status.status, 'health-status')),
                        el('div', {class: 'name'}, 'this node')),
                    el('div', {class: 'stat'}, el('div', {class: 'value'}, status.live ? 'yes' : 'no'),
                        el('div', {class: 'name'}, 'live')),
                    el('div', {class: 'stat'}, el('div', {class: 'value', 'data-test': 'node-ready'},
                        status.ready ? 'yes' : 'no'), el('div', {class: 'name'}, 'ready'))),
                    problems(status.groups || {}));
            } catch (error) {
                healthBox.replaceChildren(el('p', {class: 'error'}, 'Health unknown: ' + describe(error)));
            }
            try {
                const cluster = await api('GET', '/cluster');
                dataGroups = cluster.groups.map(g => g.name).filter(name => name.startsWith('data-'));
                nodes.replaceChildren(table([
                    {title: 'Node', value: n => el('strong', {}, n.id)},
                    {title: 'State', value: n => stateBadge(n.state, 'node-state')},
                    {title: 'HTTP', value: n => n.httpUrl ? el('a', {href: n.httpUrl + '/console/'}, n.httpUrl) : '—'},
                    {title: 'Raft address', value: n => el('span', {class: 'muted'}, n.raftAddress)},
                    {title: 'Leads', value: n => String(cluster.groups.filter(g => g.leader === n.id).length) + ' groups'},
                ], cluster.nodes));
                groups.replaceChildren(table([
                    {title: 'Group', value: g => el('span', {'data-test': 'group-name'}, g.name)},
                    {title: 'Leader', value: g => g.leader ? el('span', {'data-test': 'group-leader'}, g.leader)
                        : el('span', {class: 'badge bad'}, 'no leader')},
                    {title: 'Members', value: g => g.members.join(', ')},
                    {title: 'Applied index (this replica)', value: g => String(g.appliedIndex)},
                    {title: 'Follower lag (entries)', value: g => lag(g)},
                    {title: 'Queues', value: g => g.queueCount === undefined ? '—' : String(g.queueCount)},
                ], cluster.groups));
                groups.querySelectorAll('tbody tr').forEach((row, i) => {
                    if (cluster.groups[i]) {
                        row.dataset.test = 'group-row';
                        row.dataset.group = cluster.groups[i].name;
                    }
                });
                const target = root.querySelector('#migrate-target');
                if (target && target.options.length !== dataGroups.length) {
                    target.replaceChildren(...dataGroups.map(name => el('option', {value: name}, name)));
                }
            } catch (error) {
                nodes.replaceChildren(el('p', {class: 'error'}, error.code === 'AccessDenied'
                    ? 'The cluster view is for operators: sign in with an operator key.' : describe(error)));
                groups.replaceChildren();
            }
        }

        /** Each follower's lag as the leader knows it; only the leader's node knows (its link, from another node). */
        function lag(group) {
            const entries = Object.entries(group.followerLag || {});
            if (entries.length > 0) {
                return el('span', {'data-test': 'group-lag'}, entries.map(([id, behind]) => id + ': ' + behind).join(', '));
            }
            if (group.members.length <= 1) {
                return el('span', {class: 'muted'}, 'no followers');
            }
            return el('span', {class: 'muted'}, 'known on ' + (group.leader || 'the leader') + '\'s node');
        }

        function problems(byGroup) {
            const rows = Object.entries(byGroup).filter(([, group]) => group.problem);
            return rows.length === 0 ? el('p', {class: 'muted'}, 'Every group on this node has a working leader.')
                : table([{title: 'Group', value: r => r[0]}, {title: 'Problem', value: r => el('span', {class: 'error'},
                    r[1].problem)}], rows);
        }

        function layoutForm() {
            const queue = el('input', {id: 'layout-queue', spellcheck: 'false', placeholder: 'queue name'});
            const target = el('select', {id: 'migrate-target'});
            const count = el('input', {id: 'partition-count', type: 'number', min: 1, value: 1});
            const name = () => queue.value.trim();
            async function show() {
                if (!name()) {
                    return;
                }
                try {
                    const described = await api('GET', '/queues/' + enc(name()));
                    let migration = null;
                    try {
                        migration = await api('GET', '/queues/' + enc(name()) + '/migrate');
                    } catch (none) {
                        migration = null;
                    }
                    queueBox.replaceChildren(el('div', {class: 'card'},
                        el('p', {}, el('strong', {}, name()), ' lives in ',
                            el('span', {'data-test': 'queue-groups'}, (described.groups || []).join(', '))),
                        migration ? el('p', {'data-test': 'queue-migration'}, 'Latest migration: ' + migration.fromGroup
                            + ' → ' + migration.toGroup + ', ' + migration.state + ', ' + migration.moved + ' messages moved')
                            : el('p', {class: 'muted'}, 'No migration.')));
                } catch (error) {
                    queueBox.replaceChildren(el('p', {class: 'error'}, describe(error)));
                }
            }
            async function migrate() {
                if (!name() || !await confirm('Move queue ' + name() + ' to ' + target.value + '?')) {
                    return;
                }
                try {
                    const started = await api('POST', '/queues/' + enc(name()) + '/migrate', {toGroup: target.value});
                    notify('Migration of ' + name() + ' to ' + started.toGroup + ': ' + started.state + '.');
                    show();
                } catch (error) {
                    notify(describe(error), true);
                }
            }
            async function partition() {
                if (!name() || !await confirm('Spread queue ' + name() + ' over ' + count.value + ' data groups?')) {
                    return;
                }
                try {
                    const placed = await api('PUT', '/queues/' + enc(name()) + '/partitions', {count: Number(count.value)});
                    notify(name() + ' now lives in ' + placed.groups.join(', ') + '.');
                    show();
                } catch (error) {
                    notify(describe(error), true);
                }
            }
            return el('div', {class: 'card'}, el('div', {class: 'toolbar'}, field('Queue', queue),
                el('button', {'data-test': 'layout-show', onclick: show}, 'Show'),
                field('Move to group', target), el('button', {'data-test': 'layout-migrate', onclick: migrate}, 'Migrate'),
                field('Partitions', count), el('button', {'data-test': 'layout-partition', onclick: partition},
                    'Set partitions')));
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

    Sluice.page('cluster', 'Cluster', root => render(root));
})();
