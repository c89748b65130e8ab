// The Cluster page: this node's health (/health), the nodes and Raft groups as this node sees them (GET /v1/cluster:
// members, leader, the applied index of this node's replica, the followers' lag where this node leads, queues; each
// node's role and each group's replication factor, desired members, preferred leader and moves in progress), and the
// operator actions the REST API has: add, remove and replace a node, a group's preferred leader and replication
// factor, a queue's migration to another data group (start, progress) and its partitions. Operator-only calls answer
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
            healthBox, el('h2', {}, 'Nodes'), nodes, addNodeForm(), el('h2', {}, 'Raft groups'), groups,
            el('h2', {}, 'Queue placement'), layoutForm(), queueBox);
        let dataGroups = [];
        // What the operator typed or chose in the group rows, by field id: the 5 s refresh rebuilds the rows and must
        // not throw it away; an action that succeeded forgets its group's drafts so the row shows the server's values.
        const drafts = new Map();
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
                    {title: 'Role', value: n => el('span', {class: 'badge ' + (n.role === 'active' ? 'ok' : 'warn'),
                        'data-test': 'node-role'}, n.role || '—')},
                    {title: 'Leads', value: n => String(cluster.groups.filter(g => g.leader === n.id).length) + ' groups'},
                    {title: '', value: n => el('span', {class: 'actions'},
                        el('button', {'data-test': 'replace-node', onclick: () => replaceNode(n.id)}, 'Replace'),
                        el('button', {class: 'danger', 'data-test': 'remove-node', onclick: () => removeNode(n.id)}, 'Remove'))},
                ], cluster.nodes));
                nodes.querySelectorAll('tbody tr').forEach((row, i) => {
                    if (cluster.nodes[i]) {
                        row.dataset.test = 'node-row';
                        row.dataset.node = cluster.nodes[i].id;
                    }
                });
                groups.replaceChildren(table([
                    {title: 'Group', value: g => el('span', {'data-test': 'group-name'}, g.name)},
                    {title: 'Leader', value: g => g.leader ? el('span', {'data-test': 'group-leader'}, g.leader)
                        : el('span', {class: 'badge bad'}, 'no leader')},
                    {title: 'Members', value: g => el('span', {'data-test': 'group-members'}, g.members.join(', ')
                        + (g.listeners && g.listeners.length ? ' (listening: ' + g.listeners.join(', ') + ')' : ''))},
                    {title: 'Desired members', value: g => el('span', {'data-test': 'group-desired'},
                        (g.desiredMembers || []).join(', ') || '—')},
                    {title: 'Moving', value: g => moving(g, cluster.moves || [])},
                    {title: 'Preferred leader', value: g => el('span', {'data-test': 'group-preferred'}, g.preferredLeader || '—')},
                    {title: 'Replication factor', value: g => el('span', {'data-test': 'group-factor'}, factorText(g))},
                    {title: 'Applied index (this replica)', value: g => String(g.appliedIndex)},
                    {title: 'Follower lag (entries)', value: g => lag(g)},
                    {title: 'Queues', value: g => g.queueCount === undefined ? '—' : String(g.queueCount)},
                    {title: 'Change', value: g => g.name.startsWith('data-') ? groupActions(g) : el('span', {class: 'muted'},
                        'on every node')},
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

        /** A replication factor of 0 follows the cluster: the group lives on every active node. */
        function factorText(group) {
            return group.replicationFactor === 0 ? 'every node' : String(group.replicationFactor);
        }

        function moving(group, moves) {
            if (!group.moving) {
                return el('span', {class: 'muted', 'data-test': 'group-moving'}, 'no');
            }
            const move = moves.find(m => m.group === group.name) || {adding: [], removing: []};
            const parts = [].concat(move.adding.map(id => '+' + id), move.removing.map(id => '−' + id));
            return el('span', {class: 'badge warn', 'data-test': 'group-moving'}, 'moving ' + parts.join(' '));
        }

        /** A field of a group row that keeps what the operator entered across refreshes. */
        function drafted(element, serverValue) {
            element.value = drafts.has(element.id) ? drafts.get(element.id) : serverValue;
            const keep = () => drafts.set(element.id, element.value);
            element.addEventListener('input', keep);
            element.addEventListener('change', keep);
            return element;
        }

        function groupActions(group) {
            const leader = drafted(el('select', {id: 'leader-' + group.name, 'aria-label': 'preferred leader of ' + group.name},
                ...group.members.map(id => el('option', {value: id}, id))), group.preferredLeader || group.leader || '');
            const factor = drafted(el('input', {id: 'factor-' + group.name, type: 'number', min: 1,
                'aria-label': 'replication factor of ' + group.name}), String(group.replicationFactor || ''));
            factor.style.width = '4em';
            return el('span', {class: 'actions'}, leader,
                el('button', {'data-test': 'set-leader', onclick: () => change(group.name, 'POST',
                    '/cluster/groups/' + enc(group.name) + '/leader', {nodeId: leader.value},
                    'Preferred leader of ' + group.name + ' set to ' + leader.value + '.')}, 'Prefer leader'),
                factor,
                el('button', {'data-test': 'set-factor', onclick: () => change(group.name, 'PUT',
                    '/cluster/groups/' + enc(group.name) + '/replication', {factor: Number(factor.value)},
                    'Replication factor of ' + group.name + ' set to ' + factor.value + '.')}, 'Set replicas'));
        }

        /** Sends a layout change; the server's refusal (a 4xx with its reason) goes to the notice bar. */
        async function change(groupName, method, path, body, done) {
            try {
                await api(method, path, body);
                if (groupName) {
                    drafts.delete('leader-' + groupName);
                    drafts.delete('factor-' + groupName);
                }
                notify(done);
            } catch (error) {
                notify(describe(error), true);
            }
            await load();
        }

        async function removeNode(id) {
            if (await confirm('Remove node ' + id + '? Its replicas move to the other nodes first.')) {
                await change(null, 'DELETE', '/cluster/nodes/' + enc(id), undefined, 'Node ' + id + ' is leaving the cluster.');
            }
        }

        async function replaceNode(id) {
            if (await confirm('Replace node ' + id + '? It leaves every group, then is re-added once started empty'
                + ' with --join true under the same id.')) {
                await change(null, 'POST', '/cluster/nodes/' + enc(id) + '/replace', undefined, 'Node ' + id + ' is being replaced.');
            }
        }

        function addNodeForm() {
            const id = el('input', {id: 'add-node-id', spellcheck: 'false', placeholder: 'n4'});
            const raft = el('input', {id: 'add-node-raft', spellcheck: 'false', placeholder: 'host:port'});
            const http = el('input', {id: 'add-node-http', spellcheck: 'false', placeholder: 'http://host:9324'});
            async function add() {
                const body = {id: id.value.trim(), raftAddress: raft.value.trim()};
                if (http.value.trim()) {
                    body.httpUrl = http.value.trim();
                }
                await change(null, 'POST', '/cluster/nodes', body, 'Node ' + body.id + ' added; it receives replicas'
                    + ' once started empty with --join true.');
            }
            return el('div', {class: 'card'}, el('div', {class: 'toolbar'}, field('New node id', id),
                field('Raft address', raft), field('HTTP URL', http),
                el('button', {'data-test': 'add-node-submit', onclick: add}, 'Add node')));
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
